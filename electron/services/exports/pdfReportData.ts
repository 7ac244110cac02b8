import type { CourseProgress } from '../../../contract/progress.js';
import type { AdverseEvent, Client, Course, Photo, Session } from '../../../contract/schemas.js';
import type { CourseConsent, SessionSigning } from '../../../contract/signing.js';
import { AppError } from '../errors.js';
import type { Services } from '../index.js';
import type { ResolvedSelection } from './selection.js';

// What the PDF report shows: which courses and sessions a selection covers, and each course's
// records read through the services, before anything is drawn.

/** Courses (and optionally which of their sessions) a report covers. */
interface ReportTarget {
  courseIds: string[];
  /** Only these sessions (a filtered selection); null: every live session of the courses. */
  sessionIds: ReadonlySet<string> | null;
}

/** The message for a whole-clinic PDF request. */
export const PDF_NEEDS_COURSE_OR_CLIENT =
  'The PDF report is for one course or one client. Export the whole clinic as a CSV spreadsheet or an archive bundle.';

/** What a resolved export selection asks the report to show. */
export function reportTarget(services: Services, selection: ResolvedSelection): ReportTarget {
  const sel = selection.selection;
  if (!sel.courseId && !sel.clientId)
    throw new AppError('invalid_input', PDF_NEEDS_COURSE_OR_CLIENT, 'format');
  // The report shows live records; a period, practitioner or area narrows it to those sessions.
  const filtered = sel.from !== null || sel.to !== null || sel.practitionerId !== null || sel.area !== null;
  const sessionIds = filtered ? new Set(selection.sessionIds) : null;
  if (sel.courseId) return { courseIds: [sel.courseId], sessionIds };
  let courses = services.courses.list({ clientId: sel.clientId! });
  if (sel.area) courses = courses.filter((c) => c.area === sel.area);
  if (sessionIds) {
    // A filtered client export: the courses that have selected sessions.
    const withSessions = new Set(selection.sessionIds.map((id) => services.sessions.get({ id }).courseId));
    courses = courses.filter((c) => withSessions.has(c.id));
  }
  courses.sort((a, b) => a.startedOn.localeCompare(b.startedOn) || a.id.localeCompare(b.id));
  return { courseIds: courses.map((c) => c.id), sessionIds };
}

export interface CourseData {
  course: Course;
  client: Client;
  sessions: Session[];
  progress: CourseProgress;
  events: AdverseEvent[];
  photos: Photo[];
  /** The clinic's calendar day of each session, by id. */
  dayOf: Map<string, string>;
  /** Signatures and addenda of each session, by id. */
  signing: Map<string, SessionSigning>;
  /** The course's signed consent forms, newest first. */
  consents: CourseConsent[];
}

export function loadCourse(
  services: Services,
  courseId: string,
  only: ReadonlySet<string> | null,
): CourseData {
  const course = services.courses.get({ id: courseId });
  const client = services.clients.get({ id: course.clientId });
  const keep = (id: string) => only === null || only.has(id);
  const sessions = services.sessions.list({ courseId }).filter((s) => keep(s.id));
  const progress = services.progress.get({ courseId });
  progress.sessions = progress.sessions.filter((s) => keep(s.id));
  const events = services.adverseEvents
    .list({ courseId })
    .filter((e) => keep(e.sessionId) && e.deletedAt === null);
  const photos = services.photos.list({ courseId }).filter((p) => keep(p.sessionId) && p.deletedAt === null);
  const dayOf = new Map(progress.sessions.map((s) => [s.id, s.day]));
  const signing = new Map(services.signing.ofCourse({ courseId }).map((g) => [g.sessionId, g]));
  const consents = services.consents.ofCourse({ courseId });
  return { course, client, sessions, progress, events, photos, dayOf, signing, consents };
}

export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const clientName = (c: Client) => `${c.firstName} ${c.lastName}`.trim();
