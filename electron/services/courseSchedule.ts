import { addDays, localDay } from '../../contract/format.js';
import type { Course } from '../../contract/schemas.js';
import type { CourseRow } from '../../db/courses.js';

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
        : addDays(localDay(row.lastSessionAt), row.plannedIntervalDays);
  }
  return { ...row, nextDueOn, overdue: nextDueOn !== null && nextDueOn < today };
}
