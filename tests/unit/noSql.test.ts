// The `layers/no-sql` rule (lint/layerRules.js) proved on probe files, as layers.test.ts does for
// imports: SQL in each layer outside db/ must fail with the project's real ESLint config; the same
// code in db/, tests/ and bench/ must lint clean, and code that only looks like SQL must too.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../../lint/layers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

async function sqlErrors(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: path.join(repo, file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/no-sql').map((m) => m.message);
}

// Each runs SQL one way; `db` is declared so the probe is otherwise valid TypeScript.
const HEAD = `declare const db: any;\ndeclare const ctx: { db: any };\n`;
const SQL: [string, string][] = [
  ['prepare', `export const n = db.prepare('SELECT 1').get();`],
  [
    'prepare through ctx',
    `export const rows = ctx.db.prepare(sql()).all();\ndeclare function sql(): string;`,
  ],
  ['pragma', `export const v = db.pragma('user_version', { simple: true });`],
  ['transaction', `export const t = ctx.db.transaction(() => 1).immediate();`],
  ['exec on a database', `export function run(text: string) {\n  db.exec(text);\n}`],
  ['exec with SQL text', `declare const other: any;\nother.exec('DELETE FROM clients');`],
  ['SQL text', `export const q = 'SELECT id FROM clients WHERE deleted_at IS NULL';`],
  ['SQL template', `export const q = (t: string) => \`SELECT * FROM \${t} WHERE id = ?\`;`],
  ['an insert', `export const q = \`INSERT INTO sessions (id) VALUES (?)\`;`],
  ['an update', `export const q = "UPDATE clients SET first_name = ? WHERE id = ?";`],
  ['a schema change', `export const q = 'CREATE TABLE x (id TEXT)';`],
  ['VACUUM INTO', `export const q = (f: string) => \`VACUUM INTO '\${f}'\`;`],
];

const OUTSIDE_DB = [
  'electron/services/probe.ts',
  'electron/services/exports/probe.ts',
  'electron/api/probe.ts',
  'electron/cli/probe.ts',
  'electron/host/probe.ts',
  'electron/shell/probe.ts',
  'renderer/src/probe.ts',
  'contract/probe.ts',
  'charts/probe.ts',
  'scripts/probe.mjs',
];

// Not SQL: regular expressions, prose, lower-case words.
const NOT_SQL = [
  `export const m = /^(\\d+)$/.exec('12');`,
  `const PHOTO = /^photo\\/(\\w+)$/;\nexport const p = (s: string) => PHOTO.exec(s);`,
  `export const label = 'Select a client from the list';`,
  `export const hint = 'Update the settings, then delete the old draft.';`,
  `export const order = ['select', 'from', 'update'];`,
];

describe('no SQL outside db/', () => {
  const cases = OUTSIDE_DB.flatMap((file) => SQL.map(([what, code]) => ({ file, what, code })));
  it.each(cases)('$file: $what fails', async ({ file, what, code }) => {
    const errors = await sqlErrors(file, HEAD + code);
    expect(errors.length, `${what} in ${file}`).toBeGreaterThan(0);
    expect(errors.join('\n')).toContain('runs no SQL: put the statement in a db/ query module');
  });

  it('reports one statement once: a prepare of SQL text is one error', async () => {
    expect(await sqlErrors('electron/services/probe.ts', HEAD + SQL[0]![1])).toHaveLength(1);
  });

  it.each(['db/probe.ts', 'tests/unit/probe.test.ts', 'bench/probe.ts'])('%s may run SQL', async (file) => {
    for (const [what, code] of SQL) expect(await sqlErrors(file, HEAD + code), what).toEqual([]);
  });

  it.each(NOT_SQL)('code that only looks like SQL lints clean: %s', async (code) => {
    for (const file of OUTSIDE_DB) expect(await sqlErrors(file, code), file).toEqual([]);
  });

  it('marks SQL only where it belongs: db/ and what tests or measures it', () => {
    expect(LAYERS.filter((l) => l.sql).map((l) => l.name)).toEqual(['db/', 'bench/', 'tests/']);
  });
});
