import { Fragment, useEffect, useRef, useState } from 'react';
import { useClient } from '../data/clients.js';
import { useCourse, useSetCourseStatus } from '../data/courses.js';
import { allOf, optional } from '../data/query.js';
import { useAdverseEvents, useSessions } from '../data/sessions.js';
import { useCourseConsents, useCourseSigning } from '../data/signing.js';
import {
  ADVERSE_EVENT_KINDS,
  ZONES,
  effectiveDepthRange,
  type CourseStatus,
} from '../../../contract/domain.js';
import { GRADE_LABELS, checkRange, howFarText, shortRangeText } from '../../../contract/warnings.js';
import type { AdverseEvent, Course, Session, Settings } from '../../../contract/schemas.js';
import type { Shell } from '../App.js';
import { CourseForm } from '../components/CourseForm.js';
import { CourseProgress, NextDue, StatusBadge } from '../components/CourseSummary.js';
import { HistoryPanel } from '../components/HistoryPanel.js';
import { WarningIcon } from '../components/Icons.js';
import {
  clientName,
  courseTitle,
  daysBetween,
  fmt,
  formatDate,
  formatInstant,
  formatMm,
  localDay,
} from '../format.js';
import { href } from '../router.js';
import { LoadFailure } from '../components/LoadFailure.js';
import { isLate } from '../../../contract/domain.js';
import { photoSetFor } from '../../../contract/photoSets.js';
import { CoursePhotos } from '../photos/CoursePhotos.js';
import { CourseProgressCharts } from '../charts/CourseProgressCharts.js';
import { CourseFaceMaps } from '../charts/CourseFaceMaps.js';
import { ExportPanel } from '../exports/ExportPanel.js';
import type { SessionSigning } from '../../../contract/signing.js';
import { CourseConsentCard } from '../signing/ConsentPage.js';
import { DataTable } from '../components/DataTable.js';
import '../styles/signing.css';

/** The buttons that move a course on from each status, in order: their words and what is said once done. */
const PAUSE = { to: 'paused', label: 'Pause course', done: 'The course is paused.' } as const;
const RESUME = { to: 'active', label: 'Resume course', done: 'The course is active again.' } as const;
const COMPLETE = { to: 'completed', label: 'Complete course', done: 'The course is completed.' } as const;
const REOPEN = { to: 'active', label: 'Reopen course', done: 'The course is open again.' } as const;
const STATUS_MOVES: Record<CourseStatus, readonly { to: CourseStatus; label: string; done: string }[]> = {
  active: [PAUSE, COMPLETE],
  paused: [RESUME, COMPLETE],
  completed: [REOPEN],
  cancelled: [REOPEN],
};

/** One course: its progress, its sessions in order with planned vs actual interval, and its status. */
export function CoursePage({ courseId, shell }: { courseId: string; shell: Shell }) {
  const [editing, setEditing] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const courseQuery = useCourse(courseId);
  const loaded = allOf({
    course: courseQuery,
    sessions: useSessions(courseId),
    events: useAdverseEvents(courseId),
    client: useClient(courseQuery.data?.clientId),
    // Signatures and consents are extras: the page opens without them when they cannot be read.
    signing: optional(useCourseSigning(courseId), []),
    consents: optional(useCourseConsents(courseId), []),
  });
  const setCourseStatusWrite = useSetCourseStatus();
  const data = loaded.status === 'ready' ? loaded.data : null;

  const loadedOnce = data !== null;
  useEffect(() => {
    if (loadedOnce) headingRef.current?.focus();
  }, [loadedOnce]);

  if (loaded.status === 'error') return <LoadFailure what="course" message={loaded.message} />;
  if (!data) return <p className="muted">Loading course…</p>;

  const { course, client, sessions, events, signing, consents } = data;
  const title = courseTitle(course);

  async function setCourseStatus(next: CourseStatus, done: string) {
    setBusy(true);
    const reply = await setCourseStatusWrite({ id: course.id, status: next });
    setBusy(false);
    if (reply.ok) {
      setStatus(done);
    } else {
      setStatus(`The course was not changed: ${reply.error.message}`);
    }
  }

  return (
    <article className="record-page" aria-labelledby="course-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'clients' })}>Clients</a>
        <span aria-hidden="true"> › </span>
        <a href={href({ name: 'client', id: client.id })}>{clientName(client)}</a>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="course-title" ref={headingRef} tabIndex={-1}>
            {title}
          </h1>
          <p className="subtitle">
            Course for <a href={href({ name: 'client', id: client.id })}>{clientName(client)}</a> · started{' '}
            {formatDate(course.startedOn)} · every {course.plannedIntervalDays} days
          </p>
        </div>
        <a className="button primary large" href={href({ name: 'logSession', courseId: course.id })}>
          Log session
        </a>
      </div>

      <p className="status-line" role="status">
        {status}
      </p>

      {client.contraindications.length > 0 && (
        <p className="contra-inline">
          <WarningIcon />
          <span>
            {clientName(client)} has contraindications recorded —{' '}
            <a href={href({ name: 'client', id: client.id })}>check them</a> before treating.
          </span>
        </p>
      )}

      <section className="card course-overview" aria-label="Progress">
        <div className="overview-row">
          <StatusBadge course={course} />
          <CourseProgress course={course} />
          <NextDue course={course} />
        </div>
        {course.notes && <p className="pre-wrap">{course.notes}</p>}
        <div className="page-actions">
          {STATUS_MOVES[course.status].map((move) => (
            <button
              key={move.to}
              type="button"
              className="button"
              disabled={busy}
              onClick={() => void setCourseStatus(move.to, move.done)}
            >
              {move.label}
            </button>
          ))}
          <button type="button" className="button" onClick={() => setEditing(true)}>
            Edit course
          </button>
          <button
            type="button"
            className="button"
            aria-expanded={showHistory}
            aria-controls="course-history"
            onClick={() => setShowHistory((s) => !s)}
          >
            History
          </button>
        </div>
      </section>

      <section className="card" aria-labelledby="progress-charts-title">
        <h2 id="progress-charts-title">Progress across the course</h2>
        <CourseProgressCharts courseId={course.id} />
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        {sessions.length === 0 ? (
          <p className="muted">No sessions yet. The first one is logged with Log session.</p>
        ) : (
          <SessionTable
            course={course}
            sessions={sessions}
            events={events}
            settings={shell.settings}
            signing={signing}
          />
        )}
      </section>

      {sessions.some((s) => !s.deletedAt) && (
        <section className="card" aria-labelledby="face-maps-title">
          <h2 id="face-maps-title">Face maps across the course</h2>
          <CourseFaceMaps course={course} sessions={sessions} settings={shell.settings} />
        </section>
      )}

      <CourseConsentCard courseId={course.id} consents={consents} />

      <CoursePhotos
        courseId={course.id}
        sessions={sessions}
        requiredViews={photoSetFor(shell.settings.photoSets, course.area)}
        offerUndo={shell.offerUndo}
      />

      <ExportPanel selection={{ courseId: course.id }} what={`this course of ${clientName(client)}`} />

      {showHistory && (
        <div id="course-history">
          <HistoryPanel entity="course" entityId={course.id} />
        </div>
      )}

      {editing && (
        <CourseForm
          clientId={client.id}
          course={course}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setStatus('The course was saved.');
          }}
        />
      )}
    </article>
  );
}

function SessionTable({
  course,
  sessions,
  events,
  settings,
  signing,
}: {
  course: Course;
  sessions: readonly Session[];
  events: readonly AdverseEvent[];
  settings: Settings;
  signing: readonly SessionSigning[];
}) {
  const signedBy = new Map(
    signing.flatMap((g) =>
      g.signatures.filter((x) => x.role === 'author').map((x) => [g.sessionId, x] as const),
    ),
  );
  const outside = (z: Session['zones'][number]) =>
    checkRange(
      z.depthMm,
      effectiveDepthRange(z.zone, course.indication, settings.depthRanges, settings.indicationDepthRanges),
    );
  const ordered = [...sessions].sort((a, b) => a.number - b.number);
  const eventsBySession = new Map<string, AdverseEvent[]>();
  for (const e of events) {
    if (e.deletedAt) continue;
    eventsBySession.set(e.sessionId, [...(eventsBySession.get(e.sessionId) ?? []), e]);
  }
  return (
    <DataTable
      className="session-table"
      caption="Sessions of this course, in order"
      columns={[
        '#',
        'Date and practitioner',
        'Needle depth',
        'Pain',
        `Interval (planned ${course.plannedIntervalDays} d)`,
      ]}
      buttons="Actions"
    >
      {ordered.map((s, i) => {
        const prev = i > 0 ? ordered[i - 1] : undefined;
        const actual = prev ? daysBetween(localDay(prev.performedAt), localDay(s.performedAt)) : null;
        const late = isLate(actual, course.plannedIntervalDays);
        const aes = eventsBySession.get(s.id) ?? [];
        return (
          <Fragment key={s.id}>
            <tr className={aes.length > 0 ? 'has-events' : undefined}>
              <th scope="row">{s.number}</th>
              <td>
                <time dateTime={s.performedAt}>{formatInstant(s.performedAt)}</time>
                <div className="muted">{s.practitionerName}</div>
                {signedBy.has(s.id) ? (
                  <span className="sg-badge">Signed</span>
                ) : (
                  <span className="sg-badge sg-unsigned">Not signed</span>
                )}
              </td>
              <td>
                <ul className={s.zones.length > 3 ? 'zone-depths many' : 'zone-depths'}>
                  {s.zones.map((z) => {
                    const check = outside(z);
                    return (
                      <li key={z.zone} className={check ? `is-outside is-${check.grade}` : undefined}>
                        {s.zones.length > 1 || z.zone !== course.area ? `${ZONES[z.zone]} ` : ''}
                        <strong>{formatMm(z.depthMm)}</strong>
                        {z.passes !== undefined && (
                          <span className="zone-passes"> · {fmt().passes(z.passes)}</span>
                        )}
                        {check && (
                          <span
                            className={`badge range-mark is-${check.grade}`}
                            title={`${GRADE_LABELS[check.grade]}: ${howFarText(check, (n) => fmt().number(n))}`}
                          >
                            <WarningIcon />
                            {shortRangeText(check)}
                          </span>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </td>
              <td>{s.pain === null ? <span className="muted">—</span> : `${s.pain}/10`}</td>
              <td>
                {actual === null ? (
                  <span className="muted">First session</span>
                ) : late ? (
                  <span className="badge badge-warn" title="Later than planned by more than a week">
                    {actual} days · late
                  </span>
                ) : (
                  <span>{actual} days</span>
                )}
              </td>
              <td className="row-actions">
                {/* The visible "Edit" is part of the accessible name, which says which session. */}
                <a
                  className="button small"
                  href={href({ name: 'editSession', id: s.id })}
                  aria-label={`Edit session ${s.number}`}
                >
                  Edit
                </a>
              </td>
            </tr>
            {aes.length > 0 && (
              <tr className="event-row">
                <td />
                <td colSpan={5}>
                  <ul className="event-list">
                    {aes.map((e) => (
                      <li key={e.id} className="badge badge-danger">
                        <WarningIcon />
                        Adverse event: {ADVERSE_EVENT_KINDS[e.kind]} ({e.severity}), onset{' '}
                        {formatDate(e.onsetOn)}
                        {e.resolvedOn ? `, resolved ${formatDate(e.resolvedOn)}` : ', not resolved'}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            )}
          </Fragment>
        );
      })}
    </DataTable>
  );
}
