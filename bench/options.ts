/**
 * What one `npm run bench` measures and on which clinic:
 * - `BENCH_STEPS=search,overview` runs those steps alone (names in BENCH_STEP_NAMES; default: all);
 * - `BENCH_KEEP=/tmp/dir` builds the clinic into that directory once and keeps it (with its data
 *   key and build figures), and the next run with the same BENCH_CLIENTS reuses it, so a 100k
 *   clinic is built once and each step re-run against it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { databasePath, type DataKey } from '../db/connection.js';

export const BENCH_STEP_NAMES = [
  'save',
  'search',
  'courses',
  'overview',
  'lots',
  'csv',
  'photos',
  'signin',
  'encryption',
  'sync',
] as const;
export type BenchStep = (typeof BENCH_STEP_NAMES)[number];

/** The steps to run: every one without BENCH_STEPS; an unknown name is an error, never a silent skip. */
export function benchSteps(value: string | undefined): ReadonlySet<BenchStep> {
  if (value === undefined || value.trim() === '' || value.trim() === 'all') return new Set(BENCH_STEP_NAMES);
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(BENCH_STEP_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new Error(
      `BENCH_STEPS: unknown step ${unknown.join(', ')} (steps: ${BENCH_STEP_NAMES.join(', ')}, or all).`,
    );
  return new Set(names as BenchStep[]);
}

/** What a kept clinic remembers of its build, so a run that reuses it still prints the bulk load figure. */
export interface KeptBuild {
  clients: number;
  rows: number;
  sessions: number;
  loadMs: number;
  bareMs: number;
  generatePeakRssMiB: number | null;
  loadPeakRssMiB: number | null;
  builtAt: string;
}

const BUILD_FILE = 'bench-build.json';
const KEY_FILE = 'bench-key.hex';

/** The kept clinic in `dir` (its key and build figures), or null when none was built there yet. */
export function readKept(dir: string, clients: number): { key: DataKey; build: KeptBuild } | null {
  if (!fs.existsSync(path.join(dir, BUILD_FILE)) || !fs.existsSync(databasePath(dir))) return null;
  const build = JSON.parse(fs.readFileSync(path.join(dir, BUILD_FILE), 'utf8')) as KeptBuild;
  if (build.clients !== clients)
    throw new Error(
      `BENCH_KEEP=${dir} holds a clinic of ${build.clients} clients, not ${clients}: use another directory.`,
    );
  return { key: Buffer.from(fs.readFileSync(path.join(dir, KEY_FILE), 'utf8').trim(), 'hex'), build };
}

/** Notes the built clinic in `dir` (a bench clinic of made-up people: its key is kept beside it). */
export function writeKept(dir: string, key: DataKey, build: KeptBuild): void {
  fs.writeFileSync(path.join(dir, KEY_FILE), key.toString('hex'), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, BUILD_FILE), `${JSON.stringify(build, null, 2)}\n`);
}
