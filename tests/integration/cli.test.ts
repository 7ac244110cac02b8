import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databasePath, openSqliteFile } from '../../db/connection.js';
import { LATEST_VERSION } from '../../db/migrate.js';
import { tempDir, testKeyFor } from '../support/clinic.js';
import { needlelog } from '../support/cli.js';

// Each command is a fresh Node process (and a PIN check): slow on a busy machine.
describe('needlelog CLI', { timeout: 240_000 }, () => {
  it('demo fills an empty data dir that then passes check, in WAL mode at the latest schema', async () => {
    const dir = path.join(tempDir(), 'clinic');
    const demo = await needlelog('demo', '--data-dir', dir);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(
      /3 practitioners, 30 clients, \d+ courses, \d+ sessions, [1-9]\d* synthetic photos\./,
    );

    const check = await needlelog('check', '--data-dir', dir);
    expect(check.stdout).toContain('integrity: ok');
    expect(check.stdout).toContain('foreign keys: ok');
    expect(check.stdout).toContain(`schema: version ${LATEST_VERSION} (current)`);
    expect(check.stdout).toMatch(/photos: [1-9]\d* stored, all present/);
    expect(check.code).toBe(0);

    const db = openSqliteFile(databasePath(dir), testKeyFor(dir), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const counts = db
      .prepare(
        `SELECT (SELECT count(*) FROM practitioners) AS p, (SELECT count(*) FROM clients) AS c,
           (SELECT count(*) FROM sessions) AS s, (SELECT min(n) FROM (SELECT count(*) AS n FROM sessions GROUP BY course_id)) AS minPerCourse,
           (SELECT max(n) FROM (SELECT count(*) AS n FROM sessions GROUP BY course_id)) AS maxPerCourse`,
      )
      .get() as Record<string, number>;
    db.close();
    expect(counts.p).toBe(3);
    expect(counts.c).toBe(30);
    expect(counts.minPerCourse).toBeGreaterThanOrEqual(1);
    expect(counts.maxPerCourse).toBeLessThanOrEqual(6);
  });

  it('demo refuses a data dir that already has clients', async () => {
    const dir = tempDir();
    expect((await needlelog('demo', '--data-dir', dir)).code).toBe(0);
    const again = await needlelog('demo', '--data-dir', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/only goes into an empty data directory/);
  });

  it('check exits non-zero for a missing, newer, or damaged database', async () => {
    const missing = await needlelog('check', '--data-dir', path.join(tempDir(), 'nothing-here'));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/No NeedleLog database/);

    const newer = tempDir();
    expect((await needlelog('demo', '--data-dir', newer)).code).toBe(0);
    const raw = openSqliteFile(databasePath(newer), testKeyFor(newer));
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const newerCheck = await needlelog('check', '--data-dir', newer);
    expect(newerCheck.code).toBe(1);
    expect(newerCheck.stdout).toMatch(/newer than this app supports/);

    const damaged = tempDir();
    expect((await needlelog('demo', '--data-dir', damaged)).code).toBe(0);
    // Overwrite a page in the middle of the file: the kind of damage a failing disk leaves.
    const file = databasePath(damaged);
    const fd = fs.openSync(file, 'r+');
    const size = fs.fstatSync(fd).size;
    fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    fs.closeSync(fd);
    const damagedCheck = await needlelog('check', '--data-dir', damaged);
    expect(damagedCheck.code).toBe(1);
    expect(damagedCheck.stdout).toContain('PROBLEMS FOUND');
  });

  it('check reports a broken reference', async () => {
    const dir = tempDir();
    expect((await needlelog('demo', '--data-dir', dir)).code).toBe(0);
    const raw = openSqliteFile(databasePath(dir), testKeyFor(dir));
    raw.pragma('foreign_keys = OFF');
    raw
      .prepare(`UPDATE sessions SET course_id = '01900000-0000-7000-8000-000000000000' WHERE rowid = 1`)
      .run();
    raw.close();
    const check = await needlelog('check', '--data-dir', dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/foreign keys: 1 broken reference/);
  });

  it('answers a usage error with exit code 2', async () => {
    expect((await needlelog('frobnicate')).code).toBe(2);
    expect((await needlelog('check', '--colour')).code).toBe(2);
    expect((await needlelog()).code).toBe(2);
    expect((await needlelog('web', '--port', 'eighty')).code).toBe(2);
  });
});
