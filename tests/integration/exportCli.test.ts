import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/connection.js';
import { demoClinic, loadDemoStep } from '../../electron/services/demo.js';
import { createServices } from '../../electron/services/index.js';
import { tempDir, testKeyFor } from '../support/clinic.js';
import { DEMO_MANAGER, needlelogAs } from '../support/cli.js';
import { givePin } from '../support/signIn.js';

function demoDir(): { dir: string; courseId: string; sessions: number } {
  const dir = tempDir();
  const db = openDatabase(dir, testKeyFor(dir));
  const services = createServices(db);
  const plan = demoClinic({ clients: 3 });
  loadDemoStep(services, plan, -1);
  plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
  const { courseId, n } = db
    .prepare(
      `SELECT course_id AS courseId, count(*) AS n FROM sessions WHERE deleted_at IS NULL GROUP BY course_id ORDER BY 2 DESC LIMIT 1`,
    )
    .get() as { courseId: string; n: number };
  closeDatabase(db);
  return { dir, courseId, sessions: n };
}

// Each command is a fresh Node process (and a PIN check): slow on a busy machine.
describe('needlelog export / import', { timeout: 120_000 }, () => {
  it('exports a course as CSV with exit code 0', async () => {
    const { dir, courseId, sessions } = demoDir();
    const out = path.join(tempDir(), 'course.csv');
    const r = await needlelogAs(
      DEMO_MANAGER,
      'export',
      '--data-dir',
      dir,
      '--format',
      'csv',
      '--course',
      courseId,
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Written: ${out}`);
    const rows = parse(fs.readFileSync(out), { bom: true, columns: true }) as { course_id: string }[];
    expect(rows).toHaveLength(sessions);
    expect(new Set(rows.map((x) => x.course_id))).toEqual(new Set([courseId]));
  });

  it('answers usage errors with 2 and failures with 1', async () => {
    const { dir, courseId } = demoDir();
    const out = path.join(tempDir(), 'x.csv');
    const base = ['export', '--data-dir', dir, '--out', out];
    expect((await needlelogAs(DEMO_MANAGER, ...base, '--format', 'csv')).code).toBe(2); // no scope
    expect(
      (await needlelogAs(DEMO_MANAGER, ...base, '--format', 'csv', '--all', '--course', courseId)).code,
    ).toBe(2);
    expect((await needlelogAs(DEMO_MANAGER, ...base, '--format', 'docx', '--all')).code).toBe(2);
    expect(
      (await needlelogAs(DEMO_MANAGER, ...base, '--format', 'csv', '--all', '--from', '31/03/2026')).code,
    ).toBe(2);
    expect(
      (await needlelogAs(DEMO_MANAGER, 'export', '--data-dir', dir, '--format', 'csv', '--all')).code,
    ).toBe(2); // no --out
    const missing = await needlelogAs(
      DEMO_MANAGER,
      ...base,
      '--format',
      'csv',
      '--course',
      '019a0000-0000-7000-8000-000000000000',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/could not be found/);
    expect((await needlelogAs(DEMO_MANAGER, 'import', '--data-dir', dir)).code).toBe(2);
    expect(
      (await needlelogAs(DEMO_MANAGER, 'import', '--data-dir', dir, path.join(dir, 'nope.zip'))).code,
    ).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exports the clinic as a bundle, imports it twice into an empty data dir, refuses a damaged one', async () => {
    const { dir } = demoDir();
    const zip = path.join(tempDir(), 'clinic.zip');
    const exp = await needlelogAs(
      DEMO_MANAGER,
      'export',
      '--data-dir',
      dir,
      '--format',
      'zip',
      '--all',
      '--out',
      zip,
    );
    expect(exp.code).toBe(0);
    expect(exp.stdout).toMatch(/Collecting the records: \d+\/\d+/);

    const target = path.join(tempDir(), 'other');
    const first = await needlelogAs(DEMO_MANAGER, 'import', '--data-dir', target, zip);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/new: \d+ practitioners, 3 clients/);
    // Bundles carry no PINs: the imported manager chooses hers (here, as at her first sign-in).
    {
      const db = openDatabase(target, testKeyFor(target));
      const services = createServices(db);
      const aisha = services.practitioners.list().find((p) => p.name === DEMO_MANAGER.name)!;
      givePin(services, aisha.id, DEMO_MANAGER.pin);
      closeDatabase(db);
    }
    const second = await needlelogAs(DEMO_MANAGER, 'import', '--data-dir', target, zip);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('new: nothing');
    expect(second.stdout).toContain('updated (newer in the bundle): nothing');

    const bytes = fs.readFileSync(zip);
    const at = Math.floor(bytes.length / 3);
    bytes[at] = (bytes[at] as number) ^ 0xff;
    const damaged = path.join(tempDir(), 'damaged.zip');
    fs.writeFileSync(damaged, bytes);
    const refused = await needlelogAs(
      DEMO_MANAGER,
      'import',
      '--data-dir',
      path.join(tempDir(), 'third'),
      damaged,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Import refused: .*Nothing was imported\./);
  });
});
