/** The clinic-wide CSV figure for `npm run bench`, ours and the bare baseline each in its own process. */
import fs from 'node:fs';
import path from 'node:path';
import type { DataKey } from '../db/connection.js';
import type { createFigures } from './figures.js';
import { spawnSync } from 'node:child_process';

type Figures = ReturnType<typeof createFigures>;

/** Runs bench/csvChild.ts in a fresh Node process and returns what it printed. */
function csvInChild(
  dir: string,
  key: DataKey,
  mode: 'ours' | 'bare',
  out: string,
): { ms: number; cpuMs: number; sessions: number; bytes: number; peakRssMiB: number; startRssMiB: number } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'csvChild.ts'), dir, mode, out],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
      env: { ...process.env, BENCH_DATA_KEY: key.toString('hex') },
    },
  );
  if (child.status !== 0) throw new Error(`CSV ${mode} export failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ReturnType<typeof csvInChild>;
  fs.rmSync(out, { force: true });
  return result;
}

/**
 * The clinic-wide CSV export (every session, every column, streamed in batches) next to a bare
 * `SELECT * FROM sessions` streamed through csv-stringify into a file, each in a process of its
 * own so that each one's peak RSS is its own.
 */
export async function csvFigure(dir: string, key: DataKey, bench: Figures, clients: number): Promise<void> {
  const ours = await bench.step('csv export (ours, own process)', () =>
    csvInChild(dir, key, 'ours', path.join(dir, 'bench-export.csv')),
  );
  const bare = await bench.step('csv export (bare baseline, own process)', () =>
    csvInChild(dir, key, 'bare', path.join(dir, 'bench-bare.csv')),
  );
  const mib = (b: number) => (b / 1024 / 1024).toFixed(1);
  bench.add('csvExport', {
    what: `clinic-wide CSV export (${ours.sessions.toLocaleString('en')} sessions, ${mib(ours.bytes)} MiB; CPU ${(ours.cpuMs / 1000).toFixed(2)} s; peak RSS ${ours.peakRssMiB} MiB, of which ${ours.startRssMiB} MiB before it started)`,
    unit: 's',
    ours: ours.ms / 1000,
    baseline: bare.ms / 1000,
    baselineWhat: `bare SELECT * + csv-stringify streamed to a file (${mib(bare.bytes)} MiB; CPU ${(bare.cpuMs / 1000).toFixed(2)} s; peak RSS ${bare.peakRssMiB} MiB)`,
    goal: '≤ 1.5×',
    peakRssMiB: ours.peakRssMiB,
  });
  // Wall time on a shared machine is mostly the run queue: the CPU each one took, side by side.
  bench.add('csvExportCpu', {
    what: 'clinic-wide CSV export, CPU time (user + system) of its process',
    unit: 's',
    ours: ours.cpuMs / 1000,
    baseline: bare.cpuMs / 1000,
    baselineWhat: 'the bare streamed export',
    goal: '≤ 1.5×',
  });
  bench.add('csvExportPeakRss', {
    what: 'clinic-wide CSV export, peak RSS of its process',
    unit: 'MiB',
    ours: ours.peakRssMiB,
    baseline: bare.peakRssMiB,
    baselineWhat: 'the bare streamed export',
    goal: clients > 10_000 ? '< 300 MiB' : undefined,
  });
}
