import type { Course } from '../../../contract/schemas.js';
import { COURSE_STATUS_LABELS, formatDate } from '../format.js';

/** "Session 3 of 6" with a bar, the status, and when the next one is due (or overdue). */
export function CourseProgress({ course }: { course: Course }) {
  const done = Math.min(course.sessionCount, course.plannedSessions);
  return (
    <div className="course-progress">
      <span className="progress-text">
        Session {course.sessionCount} of {course.plannedSessions}
      </span>
      <progress
        max={course.plannedSessions}
        value={done}
        aria-label={`Session ${course.sessionCount} of ${course.plannedSessions}`}
      />
    </div>
  );
}

export function StatusBadge({ course }: { course: Course }) {
  return (
    <span className={`badge badge-status status-${course.status}`}>
      {COURSE_STATUS_LABELS[course.status]}
    </span>
  );
}

export function NextDue({ course }: { course: Course }) {
  if (course.nextDueOn === null) {
    return (
      <span className="muted">
        {course.status === 'active' ? 'All planned sessions done' : 'Nothing due while ' + course.status}
      </span>
    );
  }
  return (
    <span className="next-due">
      Next due <time dateTime={course.nextDueOn}>{formatDate(course.nextDueOn)}</time>
      {course.overdue && <span className="badge badge-danger">Overdue</span>}
    </span>
  );
}
