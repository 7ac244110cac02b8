import {
  ZONES,
  MIN_INTERVAL_DAYS,
  NUMBING_WARN_MINUTES,
  effectiveDepthRange,
  type DepthRange,
  type Indication,
  type Zone,
} from './domain.js';
import { daysBetweenInstants } from './format.js';

/**
 * The clinical warning rules, written once: the live form shows them while typing, the services
 * return them with the saved result, and the course table, charts and PDF mark the same values.
 * Protocols are not standardised (domain.md), so none of these blocks a save.
 *
 * Plain functions over plain values: no zod, no DOM, no Node.
 */

/** How far outside its usual range a value is, from the nearer bound. */
export type RangeGrade = 'just' | 'well' | 'far';

export interface RangeCheck {
  grade: RangeGrade;
  direction: 'above' | 'below';
  /** value ÷ max above the range, min ÷ value below it: always > 1. */
  factor: number;
}

/** A value up to 1.25× past the nearer bound is "just" outside, up to 2× "well", beyond that "far". */
export const GRADE_LIMITS = { just: 1.25, well: 2 } as const;

/** The grades in words, as the warnings, table and charts show them. */
export const GRADE_LABELS: Record<RangeGrade, string> = {
  just: 'Just outside the usual range',
  well: 'Well outside the usual range',
  far: 'Far outside the usual range',
};

/** Where a value lies against a range: null inside it (bounds included). */
export function checkRange(value: number, range: DepthRange): RangeCheck | null {
  if (value >= range.min && value <= range.max) return null;
  const direction = value > range.max ? 'above' : 'below';
  const factor =
    direction === 'above'
      ? range.max > 0
        ? value / range.max
        : Infinity
      : value > 0
        ? range.min / value
        : Infinity;
  const grade: RangeGrade =
    factor <= GRADE_LIMITS.just ? 'just' : factor <= GRADE_LIMITS.well ? 'well' : 'far';
  return { grade, direction, factor };
}

/** Numbers as the reader's locale writes them; the default is plain JavaScript ("0.25"). */
export type NumberText = (n: number) => string;
const plainNumber: NumberText = (n) => String(Number(n.toFixed(2)));

/** "5× the usual maximum", "40% of the usual minimum": how far, in words. */
export function howFarText(check: RangeCheck, num: NumberText = plainNumber): string {
  if (!Number.isFinite(check.factor)) return `${check.direction} the usual range`;
  if (check.direction === 'above') return `${num(Number(check.factor.toFixed(1)))}× the usual maximum`;
  const percent = Math.round(100 / check.factor);
  return `${percent}% of the usual minimum`;
}

/** The few words a table cell or a chart tooltip carries: "far above usual". */
export function shortRangeText(check: RangeCheck): string {
  return `${check.grade} ${check.direction} usual`;
}

/** One clinical warning: what the services return with a save and the form shows live. */
export interface ClinicalWarning {
  code: 'depth_out_of_range' | 'numbing_too_long' | 'interval_too_short' | 'beyond_plan';
  /** The API's field path, e.g. "zones.0.depthMm". */
  field: string;
  message: string;
  /** For a value outside a range: how far outside. */
  grade?: RangeGrade;
  /** The grade in words with how far: "Far outside the usual range: 5× the usual maximum." */
  detail?: string;
}

function graded(check: RangeCheck, num: NumberText): Pick<ClinicalWarning, 'grade' | 'detail'> {
  return { grade: check.grade, detail: `${GRADE_LABELS[check.grade]}: ${howFarText(check, num)}.` };
}

/** The usual depth range in words: "usual 0.25–0.5 mm". */
export function rangeHint(range: DepthRange, num: NumberText = plainNumber): string {
  return `usual ${num(range.min)}–${num(range.max)} mm`;
}

/** A zone's depth outside its range; `index` is the zone's place in the saved session's list. */
export function depthWarning(
  zone: Zone,
  depthMm: number,
  range: DepthRange,
  index: number,
  num: NumberText = plainNumber,
): ClinicalWarning | null {
  const check = checkRange(depthMm, range);
  if (!check) return null;
  return {
    code: 'depth_out_of_range',
    field: `zones.${index}.depthMm`,
    message: `${ZONES[zone]}: ${num(depthMm)} mm is outside the usual ${num(range.min)}–${num(range.max)} mm for this area.`,
    ...graded(check, num),
  };
}

/** Numbing cream left on longer than the toxicity threshold. */
export function numbingWarning(
  minutes: number | null,
  num: NumberText = plainNumber,
): ClinicalWarning | null {
  if (minutes === null || !Number.isFinite(minutes)) return null;
  const check = checkRange(minutes, { min: 0, max: NUMBING_WARN_MINUTES });
  if (!check) return null;
  return {
    code: 'numbing_too_long',
    field: 'numbingMinutes',
    message: `Numbing cream was on for ${num(minutes)} minutes; more than ${NUMBING_WARN_MINUTES} raises the risk of anaesthetic toxicity.`,
    ...graded(check, num),
  };
}

/** A session sooner after the previous one than skin recovery allows. */
export function intervalWarning(performedAt: string, previousAt: string | null): ClinicalWarning | null {
  if (previousAt === null) return null;
  const days = daysBetweenInstants(previousAt, performedAt);
  // A date before the previous session's is a different question (the order), not a short interval.
  if (!Number.isFinite(days) || days < 0 || days >= MIN_INTERVAL_DAYS) return null;
  return {
    code: 'interval_too_short',
    field: 'performedAt',
    message: `Only ${Math.floor(days)} days since the previous session of this course; at least ${MIN_INTERVAL_DAYS} days is usual.`,
  };
}

/** A session past the number the course was planned for. */
export function beyondPlanWarning(number: number, plannedSessions: number): ClinicalWarning | null {
  if (number <= plannedSessions) return null;
  return {
    code: 'beyond_plan',
    field: 'performedAt',
    message: `This is session ${number} of a course planned for ${plannedSessions}.`,
  };
}

/** What the session checks read: the saved session, or the form's values as the API would take them. */
interface CheckedSession {
  zones: readonly { zone: Zone; depthMm: number }[];
  numbingMinutes: number | null;
  performedAt: string;
}

interface SessionWarningContext {
  indication: Indication;
  depthRanges: Record<Zone, DepthRange>;
  indicationDepthRanges: Partial<Record<Indication, DepthRange>>;
  plannedSessions: number;
  /** When the course's previous session was; null: none, or not checked. */
  previousAt: string | null;
  /** The session's number in its course; null: not checked (e.g. a deleted session). */
  sessionNumber: number | null;
  num?: NumberText;
}

/**
 * Every clinical warning for one session, in order: depths zone by zone, numbing time, interval,
 * plan. The saved result (services/sessionWarnings.ts) and the live form (renderer liveWarnings) both
 * call this, so they warn about the same values in the same words.
 */
export function sessionWarnings(s: CheckedSession, ctx: SessionWarningContext): ClinicalWarning[] {
  const num = ctx.num ?? plainNumber;
  const found: (ClinicalWarning | null)[] = [
    ...s.zones.map((z, i) =>
      depthWarning(
        z.zone,
        z.depthMm,
        effectiveDepthRange(z.zone, ctx.indication, ctx.depthRanges, ctx.indicationDepthRanges),
        i,
        num,
      ),
    ),
    numbingWarning(s.numbingMinutes, num),
    intervalWarning(s.performedAt, ctx.previousAt),
    ctx.sessionNumber === null ? null : beyondPlanWarning(ctx.sessionNumber, ctx.plannedSessions),
  ];
  return found.filter((w): w is ClinicalWarning => w !== null);
}
