import type { ReactNode } from 'react';
import { AREAS, INDICATIONS } from '../../../contract/domain.js';
import type { Client, Course } from '../../../contract/schemas.js';
import { clientName } from '../format.js';
import { href } from '../router.js';

/** Whose session, which course, which session of how many; and the way back to the course. */
export function SessionHeader({
  title,
  client,
  course,
  sessionNumber,
  backLink = true,
  children,
}: {
  title: string;
  client: Client | null;
  course: Course;
  sessionNumber: number;
  /** Off where the page's own actions already lead back to the course (saved, deleted). */
  backLink?: boolean;
  children?: ReactNode;
}) {
  return (
    <header className="sf-head">
      {backLink && (
        <a className="sf-back" href={href({ name: 'course', id: course.id })}>
          <span aria-hidden="true">←</span> Back to course
        </a>
      )}
      <div className="sf-head-main">
        <div>
          <h1>{title}</h1>
          <p className="sf-head-meta">
            {client && <strong className="sf-client">{clientName(client)}</strong>}
            <span>
              {AREAS[course.area]} · {INDICATIONS[course.indication]}
            </span>
            <span className="sf-count">
              Session {sessionNumber} of {course.plannedSessions}
            </span>
          </p>
        </div>
        {children}
      </div>
    </header>
  );
}
