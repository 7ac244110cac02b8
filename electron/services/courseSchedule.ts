import type { Course } from '../../contract/schemas.js';
import type { CourseRow } from '../../db/courses.js';

/** The calendar day of an instant on this machine's clock: a clinic's "today" is local. */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from one calendar day to another (negative if `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * When the next session is due: the start date for a course with no sessions yet, otherwise the
 * last session's day plus the planned interval. A course that is not active, or whose planned
 * sessions are all done, has nothing due.
 */
export function withSchedule(row: CourseRow, today: string): Course {
  let nextDueOn: string | null = null;
  if (row.status === 'active' && row.sessionCount < row.plannedSessions) {
    nextDueOn =
      row.lastSessionAt === null
        ? row.startedOn
        : addDays(localDate(new Date(row.lastSessionAt)), row.plannedIntervalDays);
  }
  return { ...row, nextDueOn, overdue: nextDueOn !== null && nextDueOn < today };
}
