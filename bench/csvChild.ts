/**
 * One CSV export in a process of its own, so its peak memory is the export's and not the bench's
 * (which holds a generated clinic): `ours` through the export service, `bare` a bare
 * `SELECT * FROM sessions` streamed through csv-stringify into a file. Prints one JSON line.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { closeDatabase, openDatabase } from '../db/connection.js';
import { createServices } from '../electron/services/index.js';
import { prepareExport, runExport } from '../electron/services/exports/index.js';
import { peakRssMiB } from './figures.js';

const [dir, mode, out] = process.argv.slice(2) as [string, 'ours' | 'bare', string];
// The bench clinic's data key, from the parent (the bench keeps no key file).
const db = openDatabase(dir, Buffer.from(process.env.BENCH_DATA_KEY ?? '', 'hex'));
const startRss = peakRssMiB();
const t = performance.now();
const cpu0 = process.cpuUsage();
let sessions = 0;
if (mode === 'ours') {
  const services = createServices(db);
  // A clinic-wide export is a manager's: act as the clinic's manager, as a signed-in one would.
  services.actAs(services.practitioners.list().find((p) => p.role === 'manager')?.id ?? null);
  sessions = (
    await runExport(services.ctx, prepareExport(services.ctx, { format: 'csv', selection: {} }, out))
  ).sessions;
} else {
  const csv = stringify();
  const done = pipeline(csv, fs.createWriteStream(out));
  for (const row of db.prepare('SELECT * FROM sessions').raw().iterate() as Iterable<unknown[]>) {
    sessions++;
    if (!csv.write(row)) await once(csv, 'drain');
  }
  csv.end();
  await done;
}
const ms = performance.now() - t;
// CPU time (user + system) too: on a shared machine the wall time mostly measures the queue.
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
closeDatabase(db);
console.log(
  JSON.stringify({
    ms,
    cpuMs,
    sessions,
    bytes: fs.statSync(out).size,
    peakRssMiB: peakRssMiB(),
    startRssMiB: startRss,
  }),
);
