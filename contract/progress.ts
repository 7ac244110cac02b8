import { z } from 'zod';
import {
  ADVERSE_EVENT_KIND_KEYS,
  AREA_KEYS,
  COURSE_STATUSES,
  INDICATION_KEYS,
  NUMBING_AGENT_KEYS,
  SEVERITIES,
  ZONE_KEYS,
} from './domain.js';
import { dateOnly } from './fields.js';

/**
 * Progress across one course, and the clinic overview for managers. Every number here is computed
 * by SQL aggregates on the main side; the renderer only draws them.
 */

// The lateness rule lives with the plain vocabulary so the renderer can use it without zod.
export { LATE_AFTER_DAYS, isLate } from './domain.js';

// ---------- course progress ----------
export const ProgressSession = z.object({
  id: z.string(),
  /** 1-based, by session time. */
  number: z.number(),
  performedAt: z.string(),
  /** The calendar day on the clinic's clock. */
  day: z.string(),
  practitionerName: z.string(),
  /** Days since the previous session; null for the first. */
  intervalDays: z.number().nullable(),
  late: z.boolean(),
  zones: z.array(z.object({ zone: z.enum(ZONE_KEYS), depthMm: z.number(), passes: z.number().optional() })),
  numbingAgent: z.enum(NUMBING_AGENT_KEYS),
  pain: z.number().nullable(),
  erythema: z.number().nullable(),
  edema: z.number().nullable(),
  bleeding: z.number().nullable(),
  gaisPractitioner: z.number().nullable(),
  gaisClient: z.number().nullable(),
  satisfaction: z.number().nullable(),
  lipFullnessUpper: z.number().nullable(),
  lipFullnessLower: z.number().nullable(),
  goodmanBaron: z.number().nullable(),
  adverseEvents: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(ADVERSE_EVENT_KIND_KEYS),
      severity: z.enum(SEVERITIES),
      onsetOn: z.string(),
    }),
  ),
});
export const CourseProgress = z.object({
  courseId: z.string(),
  area: z.enum(AREA_KEYS),
  indication: z.enum(INDICATION_KEYS),
  plannedSessions: z.number(),
  plannedIntervalDays: z.number(),
  lateAfterDays: z.number(),
  /** Each zone's usual depth range in this course (the settings, with the course's indication). */
  usualDepth: z.record(z.enum(ZONE_KEYS), z.object({ min: z.number(), max: z.number() })),
  sessions: z.array(ProgressSession),
});

// ---------- clinic overview ----------
const id = z.uuid({ error: 'That record reference is not valid.' });

export const OverviewFilters = z
  .strictObject({
    /** First day of the period (local calendar day); default: 26 weeks before `to`. */
    from: dateOnly('From').nullable().optional(),
    /** Last day of the period, inclusive; default: today. */
    to: dateOnly('To').nullable().optional(),
    practitionerId: id.nullable().optional(),
    area: z.enum(AREA_KEYS, { error: 'Choose a valid treatment area.' }).nullable().optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    error: 'The start of the period must not be after its end.',
    path: ['from'],
  });

export const RateRow = z.object({
  key: z.string(),
  sessions: z.number(),
  events: z.number(),
  /** Adverse events per 100 sessions; null when there were no sessions. */
  per100: z.number().nullable(),
});

export const OutcomeRow = z.object({
  area: z.enum(AREA_KEYS),
  /** Courses with the score recorded at two or more sessions in the period. */
  courses: z.number(),
  meanFirst: z.number(),
  meanLast: z.number(),
  meanChange: z.number(),
});

export const Overview = z.object({
  from: z.string(),
  to: z.string(),
  today: z.string(),
  activeCourses: z.number(),
  overdueCourses: z.number(),
  overdueClients: z.number(),
  sessions: z.number(),
  sessionsPerWeek: z.array(z.object({ weekStart: z.string(), sessions: z.number() })),
  adverseByArea: z.array(RateRow),
  adverseByAgent: z.array(RateRow),
  satisfactionChange: z.array(OutcomeRow),
  gaisChange: z.array(OutcomeRow),
});

const OVERVIEW_FIGURES = [
  'active',
  'overdue',
  'week',
  'adverseArea',
  'adverseAgent',
  'satisfaction',
  'gais',
] as const;
export type OverviewFigure = (typeof OVERVIEW_FIGURES)[number];

export const OverviewDrillQuery = z.strictObject({
  filters: OverviewFilters.default({}),
  figure: z.enum(OVERVIEW_FIGURES, { error: 'Choose a valid figure.' }),
  /** The row of the figure: a week start, an area or a numbing agent. */
  key: z.string().max(40).nullable().default(null),
  limit: z.number().int().min(1).max(500).default(100),
});

export const OverviewDrillItem = z.object({
  clientId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  courseId: z.string(),
  area: z.enum(AREA_KEYS),
  indication: z.enum(INDICATION_KEYS),
  status: z.enum(COURSE_STATUSES),
  /** What the figure counted for this course, in words ("due 2026-03-02", "2 events"). */
  detail: z.string(),
});
export const OverviewDrill = z.object({
  total: z.number(),
  items: z.array(OverviewDrillItem),
});

export type ProgressSession = z.output<typeof ProgressSession>;
export type CourseProgress = z.output<typeof CourseProgress>;
export type OverviewFilters = z.input<typeof OverviewFilters>;
export type Overview = z.output<typeof Overview>;
export type RateRow = z.output<typeof RateRow>;
export type OutcomeRow = z.output<typeof OutcomeRow>;
export type OverviewDrillQuery = z.input<typeof OverviewDrillQuery>;
export type OverviewDrill = z.output<typeof OverviewDrill>;
export type OverviewDrillItem = z.output<typeof OverviewDrillItem>;
