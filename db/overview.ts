import type { Db } from './connection.js';
import { stmt } from './statements.js';

/**
 * The clinic overview's aggregates. Every query takes the same named parameters:
 * - fromAt / toAt: the period as UTC instants, [fromAt, toAt), already converted from local days;
 * - practitionerId, area: optional filters (null = everyone / every area);
 * - today: the local calendar day, for what is due.
 * "Now" figures (active, overdue) ignore the period; everything else counts sessions in it.
 */
export interface OverviewParams {
  fromAt: string;
  toAt: string;
  practitionerId: string | null;
  area: string | null;
  today: string;
}

/** Live sessions in the period matching the filters, with their live course (alias k) and client (c). */
const SESSIONS_IN_PERIOD = `sessions s
  JOIN courses k ON k.id = s.course_id AND k.deleted_at IS NULL
  JOIN clients c ON c.id = k.client_id AND c.deleted_at IS NULL
  WHERE s.deleted_at IS NULL AND s.performed_at >= @fromAt AND s.performed_at < @toAt
    AND (@practitionerId IS NULL OR s.practitioner_id = @practitionerId)
    AND (@area IS NULL OR k.area = @area)`;

/** Live adverse events of session s. */
const EVENTS_OF_SESSION = `(SELECT count(*) FROM adverse_events a WHERE a.session_id = s.id AND a.deleted_at IS NULL)`;

/**
 * Active courses with their next due day, by the rule of courseSchedule.withSchedule: the start date
 * with no sessions yet, otherwise the last session's local day plus the planned interval; nothing
 * due once the planned sessions are done. The practitioner filter keeps courses they have treated.
 */
const DUE = `due AS (
  SELECT x.*, CASE
      WHEN x.done >= x.planned_sessions THEN NULL
      WHEN x.last_at IS NULL THEN x.started_on
      ELSE date(x.last_at, 'localtime', '+' || x.planned_interval_days || ' days')
    END AS next_due
  FROM (
    SELECT k.id, k.client_id, k.area, k.indication, k.status, k.planned_sessions,
      k.planned_interval_days, k.started_on, c.first_name, c.last_name, c.sort_name,
      st.sessions AS done, st.last_at
    FROM courses k JOIN clients c ON c.id = k.client_id AND c.deleted_at IS NULL
      JOIN course_stats st ON st.course_id = k.id
    WHERE k.deleted_at IS NULL AND k.status = 'active'
      AND (@area IS NULL OR k.area = @area)
      AND (@practitionerId IS NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = k.id
             AND s.deleted_at IS NULL AND s.practitioner_id = @practitionerId))
  ) x
)`;

/**
 * Active and overdue counts by the same rule as DUE, without a local-time conversion per course:
 * "last local day + N < today" is "last session before the local midnight starting day today − N",
 * and `thresholds` (a JSON array indexed by N = 0…365) holds those midnights as UTC instants. The
 * array is read once into a table (not parsed per course), and the courses are read per client from
 * the covering index of active live courses (migration 0008), so overdue clients are counted
 * without sorting them.
 */
export function countDue(
  db: Db,
  p: OverviewParams,
  thresholds: string,
): { active: number; overdueCourses: number; overdueClients: number } {
  return stmt(
    db,
    `WITH th (days, before) AS MATERIALIZED (SELECT CAST(key AS INTEGER), value FROM json_each(@thresholds))
     SELECT coalesce(sum(courses), 0) AS active, coalesce(sum(overdue), 0) AS overdueCourses,
       count(CASE WHEN overdue > 0 THEN 1 END) AS overdueClients
     FROM (
       SELECT count(*) AS courses, sum(CASE WHEN st.sessions >= st.planned_sessions THEN 0
           -- No session yet: due on the start date; otherwise the last session's day plus the interval.
           ELSE coalesce(st.last_at < th.before, st.started_on < @today)
         END) AS overdue
       FROM course_stats st JOIN th ON th.days = st.planned_interval_days
       WHERE st.live AND st.status = 'active' AND (@area IS NULL OR st.area = @area)
         AND (@practitionerId IS NULL OR EXISTS (SELECT 1 FROM sessions s WHERE s.course_id = st.course_id
                AND s.deleted_at IS NULL AND s.practitioner_id = @practitionerId))
       GROUP BY st.client_id
     )`,
  ).get({ ...p, thresholds }) as { active: number; overdueCourses: number; overdueClients: number };
}

/*
 * The period figures read the covering indexes on live sessions (migration 0006), never the table.
 * Live courses of live clients, and the area filter, are checked against small sets of course ids
 * (course_stats: its few dead courses by a partial index) rather than by joining every session to
 * its course.
 */
const PERIOD = `s.deleted_at IS NULL AND s.performed_at >= @fromAt AND s.performed_at < @toAt
    AND (@practitionerId IS NULL OR s.practitioner_id = @practitionerId)
    AND s.course_id NOT IN (SELECT st.course_id FROM course_stats st WHERE NOT st.live)
    AND (@area IS NULL OR s.course_id IN (SELECT st.course_id FROM course_stats st WHERE st.area = @area))`;

/** The first whole UTC hour at or after (`up`) or at or before an instant, as stored (UTC ISO). */
function wholeHour(at: string, up: boolean): string {
  const ms = Date.parse(at);
  return new Date((up ? Math.ceil : Math.floor)(ms / 3_600_000) * 3_600_000).toISOString();
}

/**
 * Sessions per local week of the period, between the week's first and last instants as UTC
 * (`weeks`, from the service, each already clipped to the period): the whole hours of each week
 * summed from session_hour_stats (migration 0015), and in the few zones whose midnight is not a
 * whole UTC hour, the part-hours at its edges counted from the sessions' date index (an empty
 * range everywhere else). No session row is read, none converted to local time or sorted.
 */
export function sessionsPerWeek(
  db: Db,
  p: OverviewParams,
  weeks: readonly { weekStart: string; fromAt: string; toAt: string }[],
): { weekStart: string; sessions: number }[] {
  const edged = weeks.map((w) => {
    const firstHourAt = wholeHour(w.fromAt, true);
    const endHourAt = wholeHour(w.toAt, false);
    return {
      ...w,
      firstHourAt,
      endHourAt,
      firstHour: firstHourAt.slice(0, 13),
      endHour: endHourAt.slice(0, 13),
    };
  });
  const inRange = (from: string, to: string) => `(SELECT count(*) FROM sessions s WHERE s.deleted_at IS NULL
         AND s.performed_at >= ${from} AND s.performed_at < ${to}
         AND (@practitionerId IS NULL OR s.practitioner_id = @practitionerId)
         AND s.course_id NOT IN (SELECT st.course_id FROM course_stats st WHERE NOT st.live)
         AND (@area IS NULL OR s.course_id IN (SELECT st.course_id FROM course_stats st WHERE st.area = @area)))`;
  return stmt(
    db,
    `WITH w AS MATERIALIZED (
       SELECT value ->> 'weekStart' AS weekStart, value ->> 'fromAt' AS fromAt, value ->> 'toAt' AS toAt,
         value ->> 'firstHourAt' AS firstHourAt, value ->> 'endHourAt' AS endHourAt,
         value ->> 'firstHour' AS firstHour, value ->> 'endHour' AS endHour
       FROM json_each(@weeks))
     SELECT w.weekStart,
       (SELECT coalesce(sum(h.sessions), 0) FROM session_hour_stats h
         WHERE h.hour >= w.firstHour AND h.hour < w.endHour
           AND (@practitionerId IS NULL OR h.practitioner_id = @practitionerId)
           AND (@area IS NULL OR h.area = @area))
       + CASE WHEN w.fromAt < w.firstHourAt THEN ${inRange('w.fromAt', 'w.firstHourAt')} ELSE 0 END
       + CASE WHEN w.endHourAt < w.toAt THEN ${inRange('w.endHourAt', 'w.toAt')} ELSE 0 END AS sessions
     FROM w ORDER BY w.weekStart`,
  ).all({ ...p, weeks: JSON.stringify(edged) }) as { weekStart: string; sessions: number }[];
}

/**
 * First and last recorded value of a score per course among the sessions in the period: the
 * smallest and largest `performed_at || value` (performed_at is always 24 characters, the value
 * two digits, so sessions at the same instant order by value, as in course_stats).
 */
function firstLast(column: 'satisfaction' | 'gais_practitioner', name: string): string {
  const keyed = `CASE WHEN s.${column} IS NOT NULL THEN s.performed_at || printf('%02d', s.${column}) END`;
  return `CAST(substr(min(${keyed}), 25) AS INTEGER) AS ${name}First,
    CAST(substr(max(${keyed}), 25) AS INTEGER) AS ${name}Last,
    count(s.${column}) AS ${name}N`;
}

export interface SessionCell {
  area: string;
  agent: string;
  sessions: number;
  events: number;
}

/** Column-safe name for a numbing agent key (keys come from the contract, never from input). */
const agentColumn = (agent: string) => `agent_${agent.replace(/\W/g, '_')}`;

interface AreaAggregate {
  area: string;
  /** Sessions in the period per numbing agent. */
  agents: Record<string, number>;
  satCourses: number;
  satFirst: number | null;
  satLast: number | null;
  satChange: number | null;
  gaisCourses: number;
  gaisFirst: number | null;
  gaisLast: number | null;
  gaisChange: number | null;
}

/** Per area, over courses with the score at two or more sessions: how many, mean first, last and change. */
function outcomeMeans(...scores: [n: string, first: string, last: string][]): string {
  return scores
    .map(([n, first, last], i) => {
      const name = i === 0 ? 'sat' : 'gais';
      return `count(CASE WHEN ${n} >= 2 THEN 1 END) AS ${name}Courses,
       avg(CASE WHEN ${n} >= 2 THEN ${first} END) AS ${name}First,
       avg(CASE WHEN ${n} >= 2 THEN ${last} END) AS ${name}Last,
       avg(CASE WHEN ${n} >= 2 THEN ${last} - ${first} END) AS ${name}Change`;
    })
    .join(',\n       ');
}

/**
 * From per-course figures (`pc`: agent_<key> sessions, satN/satFirst/satLast, gaisN/…) to per area:
 * sessions by area and agent, and the mean first, last and change (last − first) over courses with
 * the score at two or more sessions.
 */
function byArea(db: Db, perCourse: string, params: object, agents: readonly string[]): AreaAggregate[] {
  const sumAgent = agents.map((a) => `sum(pc.${agentColumn(a)}) AS ${agentColumn(a)}`);
  const rows = stmt(
    db,
    `WITH per_course AS (${perCourse})
     SELECT k.area, ${sumAgent.join(', ')}, ${outcomeMeans(['satN', 'satFirst', 'satLast'], ['gaisN', 'gaisFirst', 'gaisLast'])}
     FROM per_course pc JOIN courses k ON k.id = pc.course_id
     GROUP BY k.area ORDER BY k.area`,
  ).all(params) as (Omit<AreaAggregate, 'agents'> & Record<string, number | null>)[];
  return rows.map((r) => ({
    ...Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('agent_'))),
    agents: Object.fromEntries(agents.map((a) => [a, Number(r[agentColumn(a)] ?? 0)])),
  })) as AreaAggregate[];
}

/** One pass over the period's sessions, per course (sessions per numbing agent; first and last scores), then per area. */
export function periodByArea(db: Db, p: OverviewParams, agents: readonly string[]): AreaAggregate[] {
  const perAgent = agents.map(
    (a) => `sum(s.numbing_agent = '${a.replace(/'/g, "''")}') AS ${agentColumn(a)}`,
  );
  return byArea(
    db,
    `SELECT s.course_id, ${perAgent.join(', ')},
       ${firstLast('satisfaction', 'sat')}, ${firstLast('gais_practitioner', 'gais')}
     FROM sessions s WHERE ${PERIOD}
     GROUP BY s.course_id`,
    p,
    agents,
  );
}

/** The first and last instant of any live session, to tell a period that holds every one of them. */
export function liveSessionSpan(db: Db): { first: string | null; last: string | null } {
  return stmt(
    db,
    `SELECT (SELECT min(performed_at) FROM sessions WHERE deleted_at IS NULL) AS first,
       (SELECT max(performed_at) FROM sessions WHERE deleted_at IS NULL) AS last`,
  ).get() as { first: string | null; last: string | null };
}

/**
 * periodByArea for a period that holds every live session, without a practitioner filter (all
 * time): the same figures from course_stats, one row per course instead of one per session.
 */
export function allTimeByArea(db: Db, p: OverviewParams, agents: readonly string[]): AreaAggregate[] {
  const outcomes = stmt(
    db,
    `SELECT area, ${outcomeMeans(['sat_n', 'sat_first', 'sat_last'], ['gais_n', 'gais_first', 'gais_last'])}
     FROM course_stats WHERE live AND sessions > 0 AND (@area IS NULL OR area = @area)
     GROUP BY area ORDER BY area`,
  ).all({ area: p.area }) as Omit<AreaAggregate, 'agents'>[];
  const counts = stmt(
    db,
    `SELECT area, agent, sum(sessions) AS n FROM course_agent_stats
     WHERE live AND (@area IS NULL OR area = @area) GROUP BY area, agent`,
  ).all({ area: p.area }) as { area: string; agent: string; n: number }[];
  return outcomes.map((o) => ({
    ...o,
    agents: Object.fromEntries(
      agents.map((a) => [a, counts.find((c) => c.area === o.area && c.agent === a)?.n ?? 0]),
    ),
  }));
}

/** Live adverse events on sessions in the period, by course area and numbing agent. */
export function eventsByAreaAgent(
  db: Db,
  p: OverviewParams,
): { area: string; agent: string; events: number }[] {
  return stmt(
    db,
    `SELECT k.area, s.numbing_agent AS agent, count(*) AS events
     FROM adverse_events a CROSS JOIN sessions s ON s.id = a.session_id CROSS JOIN courses k ON k.id = s.course_id
     WHERE a.deleted_at IS NULL AND ${PERIOD}
     GROUP BY k.area, s.numbing_agent`,
  ).all(p) as { area: string; agent: string; events: number }[];
}

const OUTCOME_PER_COURSE = `per_course AS (
  SELECT s.course_id, ${firstLast('satisfaction', 'sat')}, ${firstLast('gais_practitioner', 'gais')}
  FROM sessions s WHERE ${PERIOD}
  GROUP BY s.course_id
)`;

// ---------- the clients behind a figure ----------

export interface DrillRow {
  clientId: string;
  firstName: string;
  lastName: string;
  courseId: string;
  area: string;
  indication: string;
  status: string;
  total: number;
  /** Figure-specific numbers, turned into words by the service. */
  a: number | string | null;
  b: number | string | null;
  c: number | string | null;
}

const DRILL_COLUMNS = `c.id AS clientId, c.first_name AS firstName, c.last_name AS lastName,
  k.id AS courseId, k.area, k.indication, k.status, count(*) OVER () AS total`;

export function drillDue(db: Db, p: OverviewParams, overdueOnly: boolean, limit: number): DrillRow[] {
  return stmt(
    db,
    `WITH ${DUE}
     SELECT client_id AS clientId, first_name AS firstName, last_name AS lastName, id AS courseId, area,
       indication, status, count(*) OVER () AS total, next_due AS a, done AS b, planned_sessions AS c
     FROM due ${overdueOnly ? 'WHERE next_due < @today' : ''}
     ORDER BY ${overdueOnly ? 'next_due, ' : ''}sort_name, id LIMIT @limit`,
  ).all({ ...p, limit }) as DrillRow[];
}

/** Courses with sessions in the period, optionally one week / area / agent, and only those with events. */
export function drillSessions(
  db: Db,
  p: OverviewParams,
  by: { week?: { from: string; to: string }; area?: string; agent?: string; withEvents: boolean },
  limit: number,
): DrillRow[] {
  const where = [
    by.week !== undefined ? 'AND s.performed_at >= @weekFrom AND s.performed_at < @weekTo' : '',
    by.area !== undefined ? 'AND k.area = @byArea' : '',
    by.agent !== undefined ? 'AND s.numbing_agent = @agent' : '',
  ].join(' ');
  return stmt(
    db,
    `SELECT ${DRILL_COLUMNS}, count(*) AS a, sum(${EVENTS_OF_SESSION}) AS b,
       (SELECT group_concat(kind, ',') FROM (SELECT DISTINCT a.kind FROM adverse_events a
          JOIN sessions s2 ON s2.id = a.session_id
          WHERE s2.course_id = k.id AND a.deleted_at IS NULL AND s2.deleted_at IS NULL
            AND s2.performed_at >= @fromAt AND s2.performed_at < @toAt
            AND (@practitionerId IS NULL OR s2.practitioner_id = @practitionerId)
            ${by.agent !== undefined ? 'AND s2.numbing_agent = @agent' : ''}
          ORDER BY a.kind)) AS c
     FROM ${SESSIONS_IN_PERIOD} ${where}
     GROUP BY k.id ${by.withEvents ? 'HAVING b > 0' : ''}
     ORDER BY c.sort_name, k.id LIMIT @limit`,
  ).all({
    ...p,
    limit,
    ...(by.week !== undefined ? { weekFrom: by.week.from, weekTo: by.week.to } : {}),
    ...(by.area !== undefined ? { byArea: by.area } : {}),
    ...(by.agent !== undefined ? { agent: by.agent } : {}),
  }) as DrillRow[];
}

/** Courses of one area whose score was recorded at two or more sessions in the period. */
export function drillOutcome(
  db: Db,
  p: OverviewParams,
  metric: 'sat' | 'gais',
  area: string,
  limit: number,
): DrillRow[] {
  return stmt(
    db,
    `WITH ${OUTCOME_PER_COURSE}
     SELECT c.id AS clientId, c.first_name AS firstName, c.last_name AS lastName, k.id AS courseId, k.area,
       k.indication, k.status, count(*) OVER () AS total,
       pc.${metric}First AS a, pc.${metric}Last AS b, pc.${metric}N AS c
     FROM per_course pc JOIN courses k ON k.id = pc.course_id JOIN clients c ON c.id = k.client_id
     WHERE k.area = @byArea AND pc.${metric}N >= 2
     ORDER BY c.sort_name, k.id LIMIT @limit`,
  ).all({ ...p, limit, byArea: area }) as DrillRow[];
}
