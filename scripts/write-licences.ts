import { writeFileSync } from 'node:fs';
import { licencePage, shippedPackages } from './licences.js';

// `npm run licences`: rewrites docs/dependency-licences.md from package-lock.json.
writeFileSync('docs/dependency-licences.md', licencePage(shippedPackages()));
console.log('docs/dependency-licences.md written');
