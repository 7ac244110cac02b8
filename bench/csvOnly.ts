/**
 * The clinic-wide CSV figure alone, against a bench clinic kept on disk (the full `npm run bench`
 * builds a new one every time, minutes at 100k clients):
 *
 *   npx tsx bench/csvOnly.ts build DIR [CLIENTS]   builds the clinic once into DIR (its data key in DIR/bench.key)
 *   npx tsx bench/csvOnly.ts run DIR               the two CSV children (ours, bare) against it
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { newDataKey } from '../electron/services/keySlots.js';
import { demoClinic } from '../electron/services/demo.js';
import { bulkLoadWithPractitioners } from './clinicFixture.js';
import { createFigures } from './figures.js';
import { csvFigure } from './csv.js';

const [command, dir, clientsArg] = process.argv.slice(2);
if (!dir || (command !== 'build' && command !== 'run')) {
  console.error('usage: csvOnly.ts build DIR [CLIENTS] | run DIR');
  process.exit(2);
}
const keyFile = path.join(dir, 'bench.key');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

if (command === 'build') {
  const clients = Number(clientsArg ?? 10_000);
  if (fs.existsSync(keyFile)) throw new Error(`${dir} already holds a bench clinic.`);
  fs.mkdirSync(dir, { recursive: true });
  const key = newDataKey();
  fs.writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
  const db = openDatabase(dir, key);
  const t = performance.now();
  const plan = demoClinic({
    clients,
    coursesPerClient: [3, 3],
    sessionsPerCourse: [4, 4],
    plannedPerCourse: [4, 6],
    seed: 42,
  });
  const { rows } = bulkLoadWithPractitioners(db, plan);
  db.pragma('optimize');
  closeDatabase(db);
  console.log(`built ${clients} clients (${rows} rows) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
} else {
  const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex');
  console.log(`load average before: ${load()}`);
  const bench = createFigures({ script: 'csvOnly' });
  const clients = Number(process.env.BENCH_CLIENTS ?? 10_000);
  await csvFigure(dir, key, bench, clients);
  console.log(`load average after: ${load()}`);
}
