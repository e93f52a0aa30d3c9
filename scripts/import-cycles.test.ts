import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cycles, importSpecifiers, projectCycles } from './import-cycles.js';

describe('import circles', () => {
  it('the project has none (type-only imports count)', () => {
    assert.deepEqual(projectCycles(process.cwd()), []);
  });

  it('finds a type-only circle across folders and ignores packages', () => {
    const root = mkdtempSync(join(tmpdir(), 'rb-cycles-'));
    try {
      mkdirSync(join(root, 'core', 'a'), { recursive: true });
      mkdirSync(join(root, 'core', 'b'), { recursive: true });
      writeFileSync(join(root, 'core', 'a', 'index.ts'), "import type { B } from '../b/b.js';\nimport { z } from 'zod';\nexport type A = B | 1;\n");
      writeFileSync(join(root, 'core', 'b', 'b.ts'), "export type B = import('../a/index.js').A[];\n");
      writeFileSync(join(root, 'core', 'c.ts'), "export * from './a/index.js';\n");
      assert.deepEqual(projectCycles(root), [['core/a/index.ts', 'core/b/b.ts']]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads static, re-export, dynamic and type imports', () => {
    const source = "import a from './a.js';\nexport { b } from './b.js';\nconst c = await import('./c.js');\ntype D = import('./d.js').D;\nimport x from 'x';";
    assert.deepEqual(importSpecifiers(source, 'f.ts').sort(), ['./a.js', './b.js', './c.js', './d.js']);
  });

  it('reports a file that imports itself and a three-file ring once', () => {
    const graph = new Map([['a', ['a']], ['b', ['c']], ['c', ['d']], ['d', ['b']], ['e', ['b']]]);
    assert.deepEqual(cycles(graph).sort(), [['a'], ['b', 'c', 'd']]);
  });
});
