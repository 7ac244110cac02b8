/**
 * Chart geometry as plain functions: no React, no DOM, so it is tested under Node and reused by
 * anything that draws the same SVG (the PDF report too). Sessions sit in equal bands across the
 * plot, one per session, so 1, 2 or 12 sessions all look deliberate and a strip of thumbnails
 * laid out in the same bands lines up with them.
 */

export interface Frame {
  /** The viewBox size; the SVG scales to its container. */
  width: number;
  height: number;
  /** Plot insets: y labels on the left, AE markers on top, the session axis at the bottom. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const FRAME: Frame = { width: 960, height: 300, left: 64, right: 24, top: 34, bottom: 78 };

function plotWidth(f: Frame): number {
  return f.width - f.left - f.right;
}

function plotHeight(f: Frame): number {
  return f.height - f.top - f.bottom;
}

/** Width of one session's band. */
export function bandWidth(n: number, f: Frame = FRAME): number {
  return n > 0 ? plotWidth(f) / n : plotWidth(f);
}

/** The x of session i's centre (0-based) out of n. */
export function bandX(i: number, n: number, f: Frame = FRAME): number {
  return f.left + (i + 0.5) * bandWidth(n, f);
}

/**
 * Maps a value in [domain[0], domain[1]] to a y in the plot, domain[0] at the bottom. A reversed
 * domain (e.g. [5, 1] for GAIS, where 1 is best) puts the better end on top.
 */
export function yScale(domain: readonly [number, number], f: Frame = FRAME): (v: number) => number {
  const [d0, d1] = domain;
  const bottom = f.height - f.bottom;
  const span = d1 - d0 || 1;
  return (v) => bottom - ((v - d0) / span) * plotHeight(f);
}

/** The smallest multiple of `step` at or above `max` (at least `step`). */
export function niceCeil(max: number, step: number): number {
  if (!Number.isFinite(max) || max <= 0) return step;
  return Math.max(step, Math.ceil(max / step - 1e-9) * step);
}

/** Ticks from lo to hi inclusive every `step`, free of floating-point noise. */
export function ticks(lo: number, hi: number, step: number): number[] {
  const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
  const out: number[] = [];
  for (let i = 0; a + i * step <= b + 1e-9; i++) out.push(Math.round((a + i * step) * 1000) / 1000);
  return out;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/**
 * An SVG path through the values, broken where a value is missing: a gap, never a drop to zero.
 * A value with no recorded neighbour yields no segment (its marker shows it).
 */
export function linePath(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string {
  const parts: string[] = [];
  let penDown = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      penDown = false;
      return;
    }
    parts.push(`${penDown ? 'L' : 'M'}${fmt(x(i))} ${fmt(y(v))}`);
    penDown = true;
  });
  // Drop moves that draw nothing (a lone point): markers carry those.
  return parts
    .filter((p, i) => !(p.startsWith('M') && (parts[i + 1] === undefined || parts[i + 1]!.startsWith('M'))))
    .join(' ');
}

type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'plus' | 'triangleDown';

/** A closed path for a marker of the given shape centred on (cx, cy), about 2r across. */
export function markerPath(shape: MarkerShape, cx: number, cy: number, r: number): string {
  const p = (pts: [number, number][]) =>
    `M${pts.map(([a, b]) => `${fmt(cx + a)} ${fmt(cy + b)}`).join(' L')} Z`;
  switch (shape) {
    case 'circle':
      return `M${fmt(cx - r)} ${fmt(cy)} a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(2 * r)} 0 a${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(-2 * r)} 0 Z`;
    case 'square':
      return p([
        [-r * 0.85, -r * 0.85],
        [r * 0.85, -r * 0.85],
        [r * 0.85, r * 0.85],
        [-r * 0.85, r * 0.85],
      ]);
    case 'triangle':
      return p([
        [0, -r * 1.1],
        [r, r * 0.8],
        [-r, r * 0.8],
      ]);
    case 'triangleDown':
      return p([
        [0, r * 1.1],
        [r, -r * 0.8],
        [-r, -r * 0.8],
      ]);
    case 'diamond':
      return p([
        [0, -r * 1.2],
        [r * 1.1, 0],
        [0, r * 1.2],
        [-r * 1.1, 0],
      ]);
    case 'cross': {
      const t = r * 0.38;
      return p([
        [-r, -r + t],
        [-r + t, -r],
        [0, -t],
        [r - t, -r],
        [r, -r + t],
        [t, 0],
        [r, r - t],
        [r - t, r],
        [0, t],
        [-r + t, r],
        [-r, r - t],
        [-t, 0],
      ]);
    }
    case 'plus': {
      const t = r * 0.36;
      return p([
        [-t, -r],
        [t, -r],
        [t, -t],
        [r, -t],
        [r, t],
        [t, t],
        [t, r],
        [-t, r],
        [-t, t],
        [-r, t],
        [-r, -t],
        [-t, -t],
      ]);
    }
  }
}

export interface SeriesStyle {
  color: string;
  /** stroke-dasharray, '' for solid. */
  dash: string;
  marker: MarkerShape;
}

/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies; yellow left out, too pale on
 * white), each with its own dash pattern and marker so a series is told apart in grey print too.
 */
export const SERIES_STYLES: readonly SeriesStyle[] = [
  { color: '#0072B2', dash: '', marker: 'circle' },
  { color: '#D55E00', dash: '10 5', marker: 'square' },
  { color: '#009E73', dash: '3 4', marker: 'triangle' },
  { color: '#CC79A7', dash: '12 4 3 4', marker: 'diamond' },
  { color: '#E69F00', dash: '6 3', marker: 'cross' },
  { color: '#56B4E9', dash: '2 2', marker: 'plus' },
  { color: '#000000', dash: '14 3 3 3 3 3', marker: 'triangleDown' },
];

export function styleFor(i: number): SeriesStyle {
  return SERIES_STYLES[i % SERIES_STYLES.length]!;
}

/** Horizontal offset for series i of k so coinciding points stay visible side by side. */
export function dodge(i: number, k: number, band: number): number {
  if (k <= 1) return 0;
  const spread = Math.min(band * 0.3, 8 * (k - 1));
  return -spread / 2 + (spread * i) / (k - 1);
}
