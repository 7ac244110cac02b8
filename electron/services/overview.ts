import type { z } from 'zod';
import {
  ADVERSE_EVENT_KINDS,
  AREAS,
  NUMBING_AGENT_KEYS,
  type AdverseEventKind,
} from '../../contract/domain.js';
import {
  Overview,
  OverviewDrill,
  OverviewDrillQuery,
  OverviewFilters,
  type OutcomeRow,
  type OverviewDrillItem,
  type RateRow,
} from '../../contract/progress.js';
import { dateOnly } from '../../contract/fields.js';
import {
  allTimeByArea,
  countDue,
  drillDue,
  drillOutcome,
  drillSessions,
  eventsByAreaAgent,
  liveSessionSpan,
  periodByArea,
  sessionsPerWeek,
  type DrillRow,
  type OverviewParams,
  type SessionCell,
} from '../../db/overview.js';
import type { ServiceContext } from './context.js';
import { addDays, localDay, startOfLocalDay } from '../../contract/format.js';
import { parseInput } from './errors.js';

/** The default period: the 26 weeks (182 days) up to and including today. */
const DEFAULT_PERIOD_DAYS = 182;

/** Monday of the week of a calendar day (YYYY-MM-DD). */
export function weekStart(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** Every week from the one holding `from` to the one holding `to`, with the counted sessions (0 if none). */
export function fillWeeks(
  from: string,
  to: string,
  counted: ReadonlyMap<string, number>,
): { weekStart: string; sessions: number }[] {
  const out: { weekStart: string; sessions: number }[] = [];
  for (let w = weekStart(from); w <= to; w = addDays(w, 7)) {
    out.push({ weekStart: w, sessions: counted.get(w) ?? 0 });
  }
  return out;
}

/** Adverse events per 100 sessions, to one decimal; null without sessions (no rate, not a zero rate). */
export function per100(events: number, sessions: number): number | null {
  return sessions > 0 ? Math.round((events / sessions) * 1000) / 10 : null;
}

/** Sums cells by one of their keys into rate rows, highest rate first (then most sessions). */
export function rateRows(cells: readonly SessionCell[], by: 'area' | 'agent'): RateRow[] {
  const sums = new Map<string, { sessions: number; events: number }>();
  for (const c of cells) {
    const s = sums.get(c[by]) ?? { sessions: 0, events: 0 };
    s.sessions += c.sessions;
    s.events += c.events;
    sums.set(c[by], s);
  }
  return [...sums]
    .map(([key, s]) => ({ key, ...s, per100: per100(s.events, s.sessions) }))
    .sort((a, b) => (b.per100 ?? 0) - (a.per100 ?? 0) || b.sessions - a.sessions || (a.key < b.key ? -1 : 1));
}

/** Session and event counts by (area, agent) joined into one list of cells. */
function mergeCells(
  sessions: readonly { area: string; agent: string; sessions: number }[],
  events: readonly { area: string; agent: string; events: number }[],
): SessionCell[] {
  const cells = new Map<string, SessionCell>();
  for (const s of sessions) cells.set(`${s.area}|${s.agent}`, { ...s, events: 0 });
  for (const e of events) {
    const key = `${e.area}|${e.agent}`;
    const cell = cells.get(key) ?? { area: e.area, agent: e.agent, sessions: 0, events: 0 };
    cell.events += e.events;
    cells.set(key, cell);
  }
  return [...cells.values()];
}

/** The local weeks of the period [from, to], each with its first and last instants as stored (UTC), clipped to the period. */
function periodWeeks(from: string, to: string): { weekStart: string; fromAt: string; toAt: string }[] {
  const end = addDays(to, 1);
  return fillWeeks(from, to, new Map()).map(({ weekStart: w }) => {
    const next = addDays(w, 7);
    return {
      weekStart: w,
      fromAt: startOfLocalDay(w < from ? from : w),
      toAt: startOfLocalDay(next < end ? next : end),
    };
  });
}

/** For each interval N = 0…365 days: the first instant of the local day `today − N`, as stored (UTC ISO). */
function dueThresholds(today: string): string {
  return JSON.stringify(Array.from({ length: 366 }, (_, n) => startOfLocalDay(addDays(today, -n))));
}

const WEEK_KEY = dateOnly('Week');

const maxDay = (a: string, b: string) => (a > b ? a : b);
const minDay = (a: string, b: string) => (a < b ? a : b);

const round2 = (n: number) => Math.round(n * 100) / 100;

export function overviewService(ctx: ServiceContext) {
  function params(filters: z.output<typeof OverviewFilters>) {
    const today = localDay(ctx.now());
    const to = filters.to ?? today;
    const from = filters.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
    const p: OverviewParams = {
      fromAt: startOfLocalDay(from),
      toAt: startOfLocalDay(addDays(to, 1)),
      practitionerId: filters.practitionerId ?? null,
      area: filters.area ?? null,
      today,
    };
    return { from, to, today, p };
  }

  return {
    get(input: z.input<typeof OverviewFilters>): Overview {
      const { from, to, today, p } = params(parseInput(OverviewFilters, input === undefined ? {} : input));
      const due = countDue(ctx.db, p, dueThresholds(today));
      const span = liveSessionSpan(ctx.db);
      // Only the weeks that can hold a live session are counted (all time from 2000 is 1,400
      // weeks, nearly all empty); the chart still gets every week of the period, the rest at 0.
      const countFrom = span.first === null ? null : maxDay(from, addDays(localDay(span.first), -1));
      const countTo = span.last === null ? null : minDay(to, addDays(localDay(span.last), 1));
      const counted =
        countFrom === null || countTo === null || countFrom > countTo ? [] : periodWeeks(countFrom, countTo);
      const weeks = new Map(
        (counted.length ? sessionsPerWeek(ctx.db, p, counted) : []).map((w) => [w.weekStart, w.sessions]),
      );
      const holdsEverySession =
        p.practitionerId === null &&
        (span.first === null || (p.fromAt <= span.first && (span.last ?? '') < p.toAt));
      const byArea = (holdsEverySession ? allTimeByArea : periodByArea)(ctx.db, p, NUMBING_AGENT_KEYS);
      const sessionCounts = byArea.flatMap((a) =>
        Object.entries(a.agents)
          .filter(([, n]) => n > 0)
          .map(([agent, n]) => ({ area: a.area, agent, sessions: n })),
      );
      const cells = mergeCells(sessionCounts, eventsByAreaAgent(ctx.db, p));
      const sessions = cells.reduce((n, c) => n + c.sessions, 0);
      const outcomes = byArea;
      const outcome = (m: 'sat' | 'gais'): OutcomeRow[] =>
        outcomes
          .filter((o) => o[`${m}Courses`] > 0)
          .map((o) => ({
            area: o.area as OutcomeRow['area'],
            courses: o[`${m}Courses`],
            meanFirst: round2(o[`${m}First`] ?? 0),
            meanLast: round2(o[`${m}Last`] ?? 0),
            meanChange: round2(o[`${m}Change`] ?? 0),
          }));
      return {
        from,
        to,
        today,
        activeCourses: due.active,
        overdueCourses: due.overdueCourses,
        overdueClients: due.overdueClients,
        sessions,
        sessionsPerWeek: fillWeeks(from, to, weeks),
        adverseByArea: rateRows(cells, 'area'),
        adverseByAgent: rateRows(cells, 'agent'),
        satisfactionChange: outcome('sat'),
        gaisChange: outcome('gais'),
      };
    },

    /** The clients and courses behind one figure of the overview, each to be linked to its page. */
    clients(input: z.input<typeof OverviewDrillQuery>): OverviewDrill {
      const q = parseInput(OverviewDrillQuery, input);
      const { p } = params(q.filters);
      const key = q.key ?? '';
      let rows: DrillRow[];
      let detail: (r: DrillRow) => string;
      const eventWords = (r: DrillRow) => {
        const n = Number(r.b ?? 0);
        const kinds = String(r.c ?? '')
          .split(',')
          .filter(Boolean)
          .map((k) => ADVERSE_EVENT_KINDS[k as AdverseEventKind] ?? k);
        return `${n} adverse ${n === 1 ? 'event' : 'events'} over ${r.a} ${r.a === 1 ? 'session' : 'sessions'}${kinds.length ? `: ${kinds.join(', ')}` : ''}`;
      };
      switch (q.figure) {
        case 'active':
        case 'overdue':
          rows = drillDue(ctx.db, p, q.figure === 'overdue', q.limit);
          detail = (r) =>
            `${r.b} of ${r.c} sessions done${r.a ? ` · next due ${r.a}` : ''}${
              r.a !== null && String(r.a) < p.today ? ' (overdue)' : ''
            }`;
          break;
        case 'week': {
          // A real calendar day only: "0000-00-00" has the shape of one, and no week to start.
          const week = WEEK_KEY.safeParse(key).success ? key : p.today;
          const range = { from: startOfLocalDay(week), to: startOfLocalDay(addDays(week, 7)) };
          rows = drillSessions(ctx.db, p, { week: range, withEvents: false }, q.limit);
          detail = (r) => `${r.a} ${r.a === 1 ? 'session' : 'sessions'} that week`;
          break;
        }
        case 'adverseArea':
          rows = drillSessions(ctx.db, p, { area: key, withEvents: true }, q.limit);
          detail = eventWords;
          break;
        case 'adverseAgent':
          rows = drillSessions(ctx.db, p, { agent: key, withEvents: true }, q.limit);
          detail = eventWords;
          break;
        case 'satisfaction':
        case 'gais': {
          const metric = q.figure === 'gais' ? 'gais' : 'sat';
          rows = drillOutcome(ctx.db, p, metric, key in AREAS ? key : '', q.limit);
          const name = metric === 'gais' ? 'GAIS (practitioner)' : 'Satisfaction';
          detail = (r) => {
            const change = Number(r.b) - Number(r.a);
            return `${name} ${r.a} → ${r.b} (${change > 0 ? '+' : ''}${change}) over ${r.c} scored sessions`;
          };
          break;
        }
      }
      const items = rows.map((r): OverviewDrillItem => ({
        clientId: r.clientId,
        firstName: r.firstName,
        lastName: r.lastName,
        courseId: r.courseId,
        area: r.area as OverviewDrillItem['area'],
        indication: r.indication as OverviewDrillItem['indication'],
        status: r.status as OverviewDrillItem['status'],
        detail: detail(r),
      }));
      return { total: rows[0]?.total ?? 0, items };
    },
  };
}
