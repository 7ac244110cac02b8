import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/connection.js';
import { demoClinic, loadDemoStep } from '../../electron/services/demo.js';
import { createServices } from '../../electron/services/index.js';
import { tempDir, testKeyFor } from '../support/clinic.js';
import { needlelog, needlelogAs } from '../support/cli.js';
import { DEMO_PINS } from '../../electron/services/demo.js';

/** A demo clinic and its most shared numbing lot (a tube serves several clients in its weeks). */
function demoDir(): { dir: string; lot: string; sessions: number; clients: number } {
  const dir = tempDir();
  const db = openDatabase(dir, testKeyFor(dir));
  const services = createServices(db);
  const plan = demoClinic({ clients: 12 });
  loadDemoStep(services, plan, -1);
  plan.clients.forEach((_, i) => loadDemoStep(services, plan, i));
  const top = db
    .prepare(
      `SELECT s.numbing_lot AS lot, count(*) AS sessions, count(DISTINCT k.client_id) AS clients
       FROM sessions s JOIN courses k ON k.id = s.course_id
       WHERE s.numbing_lot <> '' GROUP BY s.numbing_lot ORDER BY 3 DESC, 1 LIMIT 1`,
    )
    .get() as { lot: string; sessions: number; clients: number };
  closeDatabase(db);
  return { dir, ...top };
}

// A practitioner, not a manager: a recall is a clinical-safety action every practitioner may run.
const NURSE = { name: 'Nurse Chloe Martin', pin: DEMO_PINS[1]! };

// Each command is a fresh Node process (and a PIN check): slow on a busy machine.
describe('needlelog recall', { timeout: 120_000 }, () => {
  it('prints the clients and sessions of a lot, writes the CSV, and exits 0', async () => {
    const { dir, lot, sessions, clients } = demoDir();
    expect(clients).toBeGreaterThan(1);
    const csv = path.join(tempDir(), 'recall.csv');
    const r = await needlelogAs(NURSE, 'recall', '--data-dir', dir, '--lot', lot.toLowerCase(), '--csv', csv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Lot ${lot.toLowerCase()}: ${clients} clients, ${sessions} session${sessions === 1 ? '' : 's'}`,
    );
    expect(r.stdout).toContain(`Recorded as numbing agent lot (${sessions} session`);
    expect(r.stdout).toMatch(/^ {2}Client +Born +Phone +Email +Sessions +First use +Last use +Used as$/m);
    expect(r.stdout).toMatch(
      /^ {2}Date +Client +Session +Practitioner +Used as +Cartridge lot +Numbing lot +Glide lot$/m,
    );
    const rows = parse(fs.readFileSync(csv), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(sessions);
    expect(new Set(rows.map((row) => row.client_id)).size).toBe(clients);
    expect(rows.every((row) => row.numbing_lot === lot && row.used_as === 'numbing')).toBe(true);
    // Sessions by time, each printed with its ISO date.
    const times = rows.map((row) => row.performed_at!);
    expect(times).toEqual([...times].sort());
    for (const t of times) expect(r.stdout).toContain(`${t.slice(0, 10)} ${t.slice(11, 16)}Z`);
  });

  it('exits 1 when no session used the lot, and 2 without --lot', async () => {
    const { dir } = demoDir();
    const none = await needlelogAs(NURSE, 'recall', '--data-dir', dir, '--lot', 'NO-SUCH-LOT');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('No live session recorded lot NO-SUCH-LOT');
    const usage = await needlelogAs(NURSE, 'recall', '--data-dir', dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('recall needs --lot LOT');
    const tooLong = await needlelogAs(NURSE, 'recall', '--data-dir', dir, '--lot', 'x'.repeat(101));
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toContain('at most 100 characters');
    // Without --as: refused, as every command that reads clinical data.
    const anonymous = await needlelog('recall', '--data-dir', dir, '--lot', 'L1');
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stdout).not.toContain('Lot L1');
  });
});
