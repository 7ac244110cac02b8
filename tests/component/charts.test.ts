import { describe, expect, it } from 'vitest';
import type { CourseProgress, ProgressSession } from '../../contract/progress.js';
import { DEFAULT_DEPTH_RANGES } from '../../contract/domain.js';
import { countTicks } from '../../renderer/src/charts/BarChart.js';
import {
  depthDomain,
  depthSeries,
  describeChart,
  progressCharts,
  zonesOf,
} from '../../charts/progressCharts.js';
import {
  FRAME,
  SERIES_STYLES,
  bandWidth,
  bandX,
  dodge,
  linePath,
  markerPath,
  niceCeil,
  ticks,
  yScale,
} from '../../charts/scale.js';
import { pickStripPhotos, stripViews } from '../../renderer/src/charts/strip.js';

function session(n: number, over: Partial<ProgressSession> = {}): ProgressSession {
  return {
    id: `s${n}`,
    number: n,
    performedAt: `2026-01-${String(n).padStart(2, '0')}T10:00:00.000Z`,
    day: `2026-01-${String(n).padStart(2, '0')}`,
    practitionerName: 'Dr A',
    intervalDays: n === 1 ? null : 28,
    late: false,
    zones: [{ zone: 'cheek_left', depthMm: 1 }],
    numbingAgent: 'none',
    pain: null,
    erythema: null,
    edema: null,
    bleeding: null,
    gaisPractitioner: null,
    gaisClient: null,
    satisfaction: null,
    lipFullnessUpper: null,
    lipFullnessLower: null,
    goodmanBaron: null,
    adverseEvents: [],
    ...over,
  };
}

function course(sessions: ProgressSession[], over: Partial<CourseProgress> = {}): CourseProgress {
  return {
    courseId: 'c',
    area: 'cheeks',
    indication: 'other',
    plannedSessions: 6,
    plannedIntervalDays: 28,
    lateAfterDays: 7,
    usualDepth: DEFAULT_DEPTH_RANGES,
    sessions,
    ...over,
  };
}

const left = FRAME.left;
const right = FRAME.width - FRAME.right;

describe('session bands', () => {
  it('1 session sits in the middle of the plot', () => {
    expect(bandWidth(1)).toBe(right - left);
    expect(bandX(0, 1)).toBe((left + right) / 2);
  });

  it('2 sessions sit at a quarter and three quarters', () => {
    const w = right - left;
    expect(bandX(0, 2)).toBe(left + w / 4);
    expect(bandX(1, 2)).toBe(left + (3 * w) / 4);
  });

  it('12 sessions are evenly spaced, inside the plot, in order', () => {
    const xs = Array.from({ length: 12 }, (_, i) => bandX(i, 12));
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(bandWidth(12), 9);
    expect(xs[0]).toBeGreaterThan(left);
    expect(xs[11]).toBeLessThan(right);
    expect(xs[0]! - left).toBeCloseTo(right - xs[11]!, 9); // symmetric margins
  });

  it('an empty course still has a plot', () => {
    expect(bandWidth(0)).toBe(right - left);
  });
});

describe('y scale and ticks', () => {
  it('maps the bottom of the domain to the bottom of the plot and the top to the top', () => {
    const y = yScale([0, 10]);
    expect(y(0)).toBe(FRAME.height - FRAME.bottom);
    expect(y(10)).toBe(FRAME.top);
    expect(y(5)).toBe((FRAME.top + FRAME.height - FRAME.bottom) / 2);
  });

  it('a reversed domain puts the better (lower) GAIS on top', () => {
    const y = yScale([5, 1]);
    expect(y(1)).toBe(FRAME.top);
    expect(y(5)).toBe(FRAME.height - FRAME.bottom);
    expect(y(2)).toBeLessThan(y(4));
  });

  it('nice ceilings and ticks are clean numbers', () => {
    expect(niceCeil(0.75, 0.5)).toBe(1);
    expect(niceCeil(1, 0.5)).toBe(1);
    expect(niceCeil(2.3, 0.5)).toBe(2.5);
    expect(niceCeil(0, 0.5)).toBe(0.5);
    expect(ticks(0, 1, 0.25)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(ticks(0, 2.5, 0.5)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(ticks(5, 1, 1)).toEqual([1, 2, 3, 4, 5]);
  });

  it('count axes step 1, 2, 5, 10… with at most 5 steps', () => {
    expect(countTicks(0)).toEqual({ top: 1, step: 1, ticks: [0, 1] });
    expect(countTicks(4)).toEqual({ top: 4, step: 1, ticks: [0, 1, 2, 3, 4] });
    expect(countTicks(8).step).toBe(2);
    expect(countTicks(23)).toEqual({ top: 25, step: 5, ticks: [0, 5, 10, 15, 20, 25] });
    expect(countTicks(480).step).toBe(100);
  });
});

describe('line paths', () => {
  const x = (i: number) => i * 10;
  const y = (v: number) => v;

  it('joins recorded values in order', () => {
    expect(linePath([1, 2, 3], x, y)).toBe('M0 1 L10 2 L20 3');
  });

  it('breaks at a missing value instead of dropping to zero', () => {
    expect(linePath([1, null, 3, 4], x, y)).toBe('M20 3 L30 4');
    expect(linePath([1, 2, null, 4, 5], x, y)).toBe('M0 1 L10 2 M30 4 L40 5');
    expect(linePath([0, 0], x, y)).toBe('M0 0 L10 0'); // a real zero is drawn
  });

  it('draws no line for a lone value (1 session, or isolated by gaps): its marker shows it', () => {
    expect(linePath([7], x, y)).toBe('');
    expect(linePath([null, 7, null], x, y)).toBe('');
    expect(linePath([], x, y)).toBe('');
    expect(linePath([null, null], x, y)).toBe('');
  });

  it('two sessions make one segment', () => {
    expect(linePath([2, 5], (i) => bandX(i, 2), y)).toBe(`M${bandX(0, 2)} 2 L${bandX(1, 2)} 5`);
  });
});

describe('markers and styles', () => {
  it('every series style has its own colour, dash pattern and marker', () => {
    expect(new Set(SERIES_STYLES.map((s) => s.color)).size).toBe(SERIES_STYLES.length);
    expect(new Set(SERIES_STYLES.map((s) => s.dash)).size).toBe(SERIES_STYLES.length);
    expect(new Set(SERIES_STYLES.map((s) => s.marker)).size).toBe(SERIES_STYLES.length);
    // Enough for a full-face course: 7 zones.
    expect(SERIES_STYLES.length).toBeGreaterThanOrEqual(7);
  });

  it('marker paths are closed and centred', () => {
    for (const s of SERIES_STYLES) {
      const d = markerPath(s.marker, 100, 50, 6);
      expect(d.startsWith('M')).toBe(true);
      expect(d.endsWith('Z')).toBe(true);
      expect(d).not.toContain('NaN');
    }
    expect(markerPath('square', 100, 50, 10)).toBe('M91.5 41.5 L108.5 41.5 L108.5 58.5 L91.5 58.5 Z');
  });

  it('dodges coinciding series symmetrically, not at all for one series', () => {
    expect(dodge(0, 1, 80)).toBe(0);
    expect(dodge(0, 2, 80)).toBe(-dodge(1, 2, 80));
    expect(dodge(1, 3, 80)).toBe(0);
    expect(Math.abs(dodge(0, 3, 20))).toBeLessThanOrEqual(3); // narrow bands: small offsets
  });
});

describe('progress charts', () => {
  it('one depth line per zone, in order of first appearance, with gaps where a zone was not treated', () => {
    const sessions = [
      session(1, { zones: [{ zone: 'forehead', depthMm: 0.5 }] }),
      session(2, {
        zones: [
          { zone: 'cheek_left', depthMm: 1 },
          { zone: 'forehead', depthMm: 0.5 },
        ],
      }),
      session(3, { zones: [{ zone: 'cheek_left', depthMm: 1.25 }] }),
    ];
    expect(zonesOf(sessions)).toEqual(['forehead', 'cheek_left']);
    expect(depthSeries(sessions).map((s) => [s.label, s.values])).toEqual([
      ['Forehead', [0.5, 0.5, null]],
      ['Left cheek', [null, 1, 1.25]],
    ]);
    expect(depthDomain(sessions)).toEqual([0, 1.5]);
    expect(depthDomain([])).toEqual([0, 1]);
    expect(depthDomain([session(1, { zones: [{ zone: 'cheek_left', depthMm: 2.4 }] })])).toEqual([0, 2.5]);
  });

  it('an empty course still gets its charts, each saying there are no sessions', () => {
    const charts = progressCharts(course([]));
    expect(charts.map((c) => c.id)).toEqual(['depth', 'pain', 'response', 'gais', 'satisfaction']);
    expect(charts.every((c) => c.series.every((s) => s.values.length === 0))).toBe(true);
    expect(describeChart(charts[1]!, 0)).toBe('Pain: no sessions yet.');
  });

  it('lip fullness only for lip courses, Goodman & Baron only for acne scars (or when recorded)', () => {
    const ids = (c: CourseProgress) => progressCharts(c).map((x) => x.id);
    expect(ids(course([session(1)], { area: 'lips_perioral' }))).toContain('lips');
    expect(ids(course([session(1)], { indication: 'acne_scars' }))).toContain('goodmanBaron');
    expect(ids(course([session(1)]))).not.toContain('lips');
    expect(ids(course([session(1, { goodmanBaron: 3 })]))).toContain('goodmanBaron');
  });

  it('missing values stay null in every series, and the description names first and last recorded', () => {
    const sessions = [session(1, { pain: 4 }), session(2), session(3, { pain: 2 })];
    const pain = progressCharts(course(sessions)).find((c) => c.id === 'pain')!;
    expect(pain.series[0]!.values).toEqual([4, null, 2]);
    expect(describeChart(pain, 3)).toBe('Pain over 3 sessions: Pain from 4 at session 1 to 2 at session 3.');
    const gais = progressCharts(course(sessions)).find((c) => c.id === 'gais')!;
    expect(describeChart(gais, 3)).toBe(
      'GAIS over 3 sessions: GAIS, practitioner not recorded; GAIS, client not recorded.',
    );
    const one = progressCharts(course([session(1, { satisfaction: 7 })])).find(
      (c) => c.id === 'satisfaction',
    )!;
    expect(describeChart(one, 1)).toBe('Client satisfaction over 1 session: Satisfaction 7 at session 1.');
  });

  it('12 sessions give 12 values per series', () => {
    const sessions = Array.from({ length: 12 }, (_, i) => session(i + 1, { pain: i % 11 }));
    for (const c of progressCharts(course(sessions))) {
      for (const s of c.series) expect(s.values).toHaveLength(12);
    }
  });
});

describe('photo strip', () => {
  const photo = (id: string, sessionId: string, view: 'frontal' | 'close_up', kind: 'before' | 'after') => ({
    id,
    sessionId,
    view,
    kind,
    deletedAt: null as string | null,
  });

  it('picks, per session, the chosen view and kind, else another kind of the view, else nothing', () => {
    const sessions = [session(1), session(2), session(3)];
    const photos = [
      photo('a', 's1', 'frontal', 'after'),
      photo('b', 's1', 'frontal', 'before'),
      photo('c', 's2', 'frontal', 'after'),
      photo('d', 's3', 'close_up', 'before'),
    ];
    expect(pickStripPhotos(sessions, photos, 'frontal', 'before').map((p) => p?.id ?? null)).toEqual([
      'b',
      'c',
      null,
    ]);
    expect(pickStripPhotos(sessions, photos, 'close_up', 'after').map((p) => p?.id ?? null)).toEqual([
      null,
      null,
      'd',
    ]);
    expect(stripViews(photos)).toEqual(['frontal', 'close_up']);
    expect(stripViews([{ ...photos[3]!, deletedAt: '2026-01-01' }])).toEqual([]);
  });
});
