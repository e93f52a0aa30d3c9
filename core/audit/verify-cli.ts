import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../config/load.js';
import { openDatabase } from '../db/open.js';
import { verifyAuditChain } from './verify.js';

// `npm run audit:verify`: checks the hash chain of the audit log in DATA_DIR; exit 1 when broken.
const config = loadConfig();
if (!existsSync(join(config.dataDir, 'appliance.db'))) {
  console.error(`No database in ${config.dataDir} (set DATA_DIR).`);
  process.exit(2);
}
const db = await openDatabase(config.dataDir);
const report = await verifyAuditChain(db);
await db.destroy();
if (report.ok) {
  console.log(`Audit log intact: ${report.entries} entries, hash chain verified.`);
} else {
  console.error(`Audit log TAMPERED at entry ${report.brokenAt}: ${report.problem}.`);
  process.exit(1);
}
