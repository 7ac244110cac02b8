import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The bench's figures: each printed as it is measured, then once more as one table, and written to
 * bench/results.json (git-ignored) as `{ key: { ours, baseline, ratio, unit, … } }`. Figures only:
 * the goals are printed next to them, nothing asserts.
 */
export interface Figure {
  what: string;
  unit: string;
  ours: number;
  baseline: number | null;
  /** ours / baseline (for rates: baseline / ours, so above 1 is always "slower than the baseline"). */
  ratio: number | null;
  baselineWhat?: string;
  /** The goal as written in the issue, e.g. "≤ 1.3×" or "< 5 ms". */
  goal?: string;
  /** Peak resident memory of the step that measured it, MiB. */
  peakRssMiB?: number;
}

const RESULTS = path.resolve(import.meta.dirname, 'results.json');

export function createFigures(meta: Record<string, unknown>) {
  const figures: Record<string, Figure> = {};
  const steps: { step: string; seconds: number; peakRssMiB: number | null }[] = [];

  return {
    figures,
    /** Each step so far: its duration and peak RSS. */
    steps: steps as readonly { step: string; seconds: number; peakRssMiB: number | null }[],
    /** Records and prints one figure. `higherIsBetter` for rates (rows/s). */
    add(key: string, f: Omit<Figure, 'ratio'> & { higherIsBetter?: boolean }): Figure {
      const { higherIsBetter, ...rest } = f;
      const ratio =
        f.baseline === null || f.baseline === 0 || f.ours === 0
          ? null
          : higherIsBetter
            ? f.baseline / f.ours
            : f.ours / f.baseline;
      const figure: Figure = { ...rest, ratio: ratio === null ? null : round(ratio, 2) };
      figures[key] = figure;
      console.log(
        `  ${f.what}: ${fmt(f.ours, f.unit)}` +
          (f.baseline !== null ? `   (baseline: ${f.baselineWhat ?? ''} ${fmt(f.baseline, f.unit)})` : '') +
          (figure.ratio !== null ? `   ${figure.ratio.toFixed(2)}×` : '') +
          (f.goal ? `   goal ${f.goal}` : ''),
      );
      return figure;
    },
    /** Runs one step of the bench and notes its duration and peak RSS (Linux: VmHWM, reset per step). */
    async step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
      resetPeakRss();
      const t = performance.now();
      const result = await fn();
      const peak = peakRssMiB();
      steps.push({ step: name, seconds: round((performance.now() - t) / 1000, 2), peakRssMiB: peak });
      console.log(
        `    [step ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s, peak RSS ${peak ?? '?'} MiB]`,
      );
      return result;
    },
    /** The table of every figure, then results.json (merged with figures of other bench scripts). */
    finish(file = RESULTS): void {
      console.log('\n  figure | ours | baseline | ratio | goal');
      for (const [key, f] of Object.entries(figures)) {
        console.log(
          `  ${key} | ${fmt(f.ours, f.unit)} | ${f.baseline === null ? '—' : fmt(f.baseline, f.unit)} | ${
            f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`
          } | ${f.goal ?? ''}`,
        );
      }
      console.log('\n  step | seconds | peak RSS MiB');
      for (const s of steps) console.log(`  ${s.step} | ${s.seconds} | ${s.peakRssMiB ?? '?'}`);
      let previous: Record<string, unknown> = {};
      try {
        previous = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      } catch {
        // first run, or an unreadable file: start afresh
      }
      const prefix = String(meta.script ?? 'bench');
      const kept = Object.fromEntries(Object.entries(previous).filter(([k]) => !k.startsWith(`${prefix}.`)));
      const mine = Object.fromEntries(
        [
          ...Object.entries(figures),
          ['meta', { ...meta, at: new Date().toISOString(), loadAverage: os.loadavg(), steps }],
        ].map(([k, v]) => [`${prefix}.${k}`, v]),
      );
      fs.writeFileSync(file, `${JSON.stringify({ ...kept, ...mine }, null, 2)}\n`);
      console.log(`\n  figures written to ${path.relative(process.cwd(), file)}`);
    },
  };
}

export const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

function fmt(x: number, unit: string): string {
  if (unit === 'rows/s') return `${Math.round(x).toLocaleString('en')} rows/s`;
  if (unit === 'ms') return `${x.toFixed(x < 10 ? 3 : 1)} ms`;
  if (unit === 's') return `${x.toFixed(2)} s`;
  return `${round(x, 1)} ${unit}`;
}

function resetPeakRss(): void {
  try {
    // Linux: "5" resets VmHWM to the current RSS, so each step reports its own peak.
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // elsewhere the peak is the process's peak so far
  }
}

/** Peak resident memory, MiB: since the last reset on Linux, of the whole process elsewhere. */
export function peakRssMiB(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Math.round(Number(kb) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
