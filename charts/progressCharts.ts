import { ZONES, type Zone } from '../contract/domain.js';
import type { CourseProgress, ProgressSession } from '../contract/progress.js';
import { checkRange, type RangeCheck } from '../contract/warnings.js';
import { niceCeil, styleFor, ticks, type SeriesStyle } from './scale.js';

/** What one chart draws: pure data, built from the course progress without any React. */
interface Series {
  key: string;
  label: string;
  values: (number | null)[];
  style: SeriesStyle;
  /** For series with a usual range (depths): where each value lies outside it, null inside. */
  outside?: (RangeCheck | null)[];
}

export interface ChartSpec {
  id: 'depth' | 'pain' | 'response' | 'gais' | 'satisfaction' | 'lips' | 'goodmanBaron';
  title: string;
  /** How to read the axis, in words. */
  note: string;
  unit: string;
  /** [bottom, top] of the y axis; reversed when the lower score is the better one. */
  domain: [number, number];
  ticks: number[];
  series: Series[];
  /** Formats a value for labels and the table. */
  format: (v: number) => string;
}

/** Numbers as the clinic's locale writes them (contract/format.ts); plain JavaScript by default. */
type NumberText = (v: number) => string;
const plainNumber: NumberText = (v) => String(Number(v.toFixed(2)));

function series(
  sessions: readonly ProgressSession[],
  defs: readonly { key: string; label: string; pick: (s: ProgressSession) => number | null }[],
): Series[] {
  return defs.map((d, i) => ({
    key: d.key,
    label: d.label,
    values: sessions.map(d.pick),
    style: styleFor(i),
  }));
}

/** Zones in the order they first appear across the course. */
export function zonesOf(sessions: readonly ProgressSession[]): Zone[] {
  const seen: Zone[] = [];
  for (const s of sessions) for (const z of s.zones) if (!seen.includes(z.zone)) seen.push(z.zone);
  return seen;
}

export function depthSeries(
  sessions: readonly ProgressSession[],
  usual?: CourseProgress['usualDepth'],
): Series[] {
  return zonesOf(sessions).map((zone, i) => {
    const values = sessions.map((s) => s.zones.find((z) => z.zone === zone)?.depthMm ?? null);
    return {
      key: zone,
      label: ZONES[zone],
      values,
      style: styleFor(i),
      outside: values.map((v) => (v === null || !usual ? null : checkRange(v, usual[zone]))),
    };
  });
}

/** Whether any value of the chart lies outside its usual range. */
export function hasOutside(spec: Pick<ChartSpec, 'series'>): boolean {
  return spec.series.some((s) => s.outside?.some((c) => c !== null) ?? false);
}

/** The y range for depths: from 0 to the next half millimetre above the deepest (at least 1 mm). */
export function depthDomain(sessions: readonly ProgressSession[]): [number, number] {
  const max = Math.max(0, ...sessions.flatMap((s) => s.zones.map((z) => z.depthMm)));
  return [0, Math.max(1, niceCeil(max, 0.5))];
}

export function hasAnyValue(spec: Pick<ChartSpec, 'series'>): boolean {
  return spec.series.some((s) => s.values.some((v) => v !== null));
}

/**
 * The charts of a course: needle depth, pain, immediate response, GAIS, satisfaction, and lip
 * fullness (lip courses) or Goodman & Baron (acne scar courses) where they apply or were recorded.
 */
export function progressCharts(p: CourseProgress, num: NumberText = plainNumber): ChartSpec[] {
  const s = p.sessions;
  const plain = num;
  const mm = num;
  const depth = depthDomain(s);
  const charts: ChartSpec[] = [
    {
      id: 'depth',
      title: 'Needle depth',
      note: 'Millimetres, one line per zone.',
      unit: 'mm',
      domain: depth,
      ticks: ticks(0, depth[1], depth[1] > 1.5 ? 0.5 : 0.25),
      series: depthSeries(s, p.usualDepth),
      format: mm,
    },
    {
      id: 'pain',
      title: 'Pain',
      note: '0 = no pain, 10 = worst imaginable.',
      unit: '/10',
      domain: [0, 10],
      ticks: ticks(0, 10, 2),
      series: series(s, [{ key: 'pain', label: 'Pain', pick: (x) => x.pain }]),
      format: plain,
    },
    {
      id: 'response',
      title: 'Immediate response',
      note: '0 = none, 3 = marked.',
      unit: '/3',
      domain: [0, 3],
      ticks: ticks(0, 3, 1),
      series: series(s, [
        { key: 'erythema', label: 'Erythema', pick: (x) => x.erythema },
        { key: 'edema', label: 'Edema', pick: (x) => x.edema },
        { key: 'bleeding', label: 'Pinpoint bleeding', pick: (x) => x.bleeding },
      ]),
      format: plain,
    },
    {
      id: 'gais',
      title: 'GAIS',
      note: 'Global Aesthetic Improvement Scale: 1 = very much improved (top), 5 = worse (bottom).',
      unit: '',
      domain: [5, 1],
      ticks: ticks(1, 5, 1),
      series: series(s, [
        { key: 'gaisPractitioner', label: 'GAIS, practitioner', pick: (x) => x.gaisPractitioner },
        { key: 'gaisClient', label: 'GAIS, client', pick: (x) => x.gaisClient },
      ]),
      format: plain,
    },
    {
      id: 'satisfaction',
      title: 'Client satisfaction',
      note: '0 = not at all satisfied, 10 = completely satisfied.',
      unit: '/10',
      domain: [0, 10],
      ticks: ticks(0, 10, 2),
      series: series(s, [{ key: 'satisfaction', label: 'Satisfaction', pick: (x) => x.satisfaction }]),
      format: plain,
    },
  ];
  const lips: ChartSpec = {
    id: 'lips',
    title: 'Lip fullness',
    note: '1 = thin, 5 = very full.',
    unit: '/5',
    domain: [1, 5],
    ticks: ticks(1, 5, 1),
    series: series(s, [
      { key: 'lipFullnessUpper', label: 'Upper lip', pick: (x) => x.lipFullnessUpper },
      { key: 'lipFullnessLower', label: 'Lower lip', pick: (x) => x.lipFullnessLower },
    ]),
    format: plain,
  };
  if (p.area === 'lips_perioral' || p.indication === 'lip_enhancement' || hasAnyValue(lips))
    charts.push(lips);
  const gb: ChartSpec = {
    id: 'goodmanBaron',
    title: 'Goodman & Baron grade',
    note: 'Acne scarring: 1 = macular (top), 4 = severe (bottom).',
    unit: '',
    domain: [4, 1],
    ticks: ticks(1, 4, 1),
    series: series(s, [{ key: 'goodmanBaron', label: 'Goodman & Baron', pick: (x) => x.goodmanBaron }]),
    format: plain,
  };
  if (p.indication === 'acne_scars' || hasAnyValue(gb)) charts.push(gb);
  return charts;
}

/** A sentence for screen readers: each series from its first to its last recorded value. */
export function describeChart(spec: ChartSpec, sessions: number): string {
  if (sessions === 0) return `${spec.title}: no sessions yet.`;
  const parts = spec.series.map((se) => {
    const recorded = se.values
      .map((v, i) => [v, i + 1] as const)
      .filter((x): x is readonly [number, number] => x[0] !== null);
    if (recorded.length === 0) return `${se.label} not recorded`;
    const [first, last] = [recorded[0]!, recorded[recorded.length - 1]!];
    if (recorded.length === 1) return `${se.label} ${spec.format(first[0])} at session ${first[1]}`;
    return `${se.label} from ${spec.format(first[0])} at session ${first[1]} to ${spec.format(last[0])} at session ${last[1]}`;
  });
  const outside = spec.series.flatMap((se) => se.outside ?? []).filter((c) => c !== null).length;
  const marked = outside
    ? ` ${outside} ${outside === 1 ? 'value is' : 'values are'} outside the usual range, ringed in red.`
    : '';
  return `${spec.title} over ${sessions} ${sessions === 1 ? 'session' : 'sessions'}: ${parts.join('; ')}.${marked}`;
}
