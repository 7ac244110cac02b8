import { useEffect, useRef, useState } from 'react';
import { CONTRAINDICATIONS } from '../../../contract/domain.js';
import type { Shell } from '../App.js';
import { useClient, useDeleteClient, useRestoreClient } from '../data/clients.js';
import { useCourses } from '../data/courses.js';
import { allOf } from '../data/query.js';
import { ClientForm } from '../components/ClientForm.js';
import { CourseForm } from '../components/CourseForm.js';
import { CourseProgress, NextDue, StatusBadge } from '../components/CourseSummary.js';
import { HistoryPanel } from '../components/HistoryPanel.js';
import { LoadFailure } from '../components/LoadFailure.js';
import { ExportPanel } from '../exports/ExportPanel.js';
import { PlusIcon, WarningIcon } from '../components/Icons.js';
import { ageInYears, clientName, courseTitle, fitzpatrickLabel, formatDate } from '../format.js';
import { href, navigate } from '../router.js';

type Dialog = 'none' | 'editClient' | 'newCourse';

/** One client: details, contraindications as an alert, and their courses with progress. */
export function ClientPage({ clientId, shell }: { clientId: string; shell: Shell }) {
  const [dialog, setDialog] = useState<Dialog>('none');
  const [showHistory, setShowHistory] = useState(false);
  const [status, setStatus] = useState('');
  const [deleting, setDeleting] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { offerUndo } = shell;
  const loaded = allOf({ client: useClient(clientId), courses: useCourses(clientId) });
  const data = loaded.status === 'ready' ? loaded.data : null;
  const deleteClient = useDeleteClient();
  const restoreClient = useRestoreClient();

  const loadedOnce = data !== null;
  useEffect(() => {
    if (loadedOnce) headingRef.current?.focus();
  }, [loadedOnce]);

  if (loaded.status === 'error') return <LoadFailure what="client" message={loaded.message} />;
  if (!data) return <p className="muted">Loading client…</p>;

  const { client, courses } = data;
  const name = clientName(client);
  const age = client.dateOfBirth ? ageInYears(client.dateOfBirth) : null;

  async function remove() {
    setDeleting(true);
    const reply = await deleteClient({ id: client.id });
    setDeleting(false);
    if (!reply.ok) {
      setStatus(`${name} was not deleted: ${reply.error.message}`);
      return;
    }
    offerUndo({
      message: `${name} was deleted.`,
      doneMessage: `${name} is back.`,
      run: async () => {
        const r = await restoreClient({ id: client.id });
        return r.ok ? null : r.error.message;
      },
    });
    navigate({ name: 'clients' });
  }

  return (
    <article className="record-page" aria-labelledby="client-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a href={href({ name: 'clients' })}>Clients</a>
      </nav>
      <div className="page-head">
        <h1 id="client-title" ref={headingRef} tabIndex={-1}>
          {name}
        </h1>
        <div className="page-actions">
          <button type="button" className="button" onClick={() => setDialog('editClient')}>
            Edit client
          </button>
          <button
            type="button"
            className="button"
            aria-expanded={showHistory}
            aria-controls="client-history"
            onClick={() => setShowHistory((s) => !s)}
          >
            History
          </button>
          <button type="button" className="button danger" disabled={deleting} onClick={() => void remove()}>
            Delete client
          </button>
        </div>
      </div>

      <p className="status-line" role="status">
        {status}
      </p>

      {client.contraindications.length > 0 || client.contraindicationNotes !== '' ? (
        <div role="alert" className="contra-alert" aria-labelledby="contra-title">
          <h2 id="contra-title" className="contra-title">
            <WarningIcon />
            Contraindications
          </h2>
          {client.contraindications.length > 0 && (
            <ul>
              {client.contraindications.map((k) => (
                <li key={k}>{CONTRAINDICATIONS[k]}</li>
              ))}
            </ul>
          )}
          {client.contraindicationNotes && <p className="contra-notes">{client.contraindicationNotes}</p>}
        </div>
      ) : null}

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="details">
          <div>
            <dt>Date of birth</dt>
            <dd>
              {client.dateOfBirth ? (
                <>
                  {formatDate(client.dateOfBirth)}
                  {age !== null && <span className="muted"> (age {age})</span>}
                </>
              ) : (
                <span className="muted">Not recorded</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Fitzpatrick skin type</dt>
            <dd>
              {fitzpatrickLabel(client.fitzpatrick)}
              {client.fitzpatrick !== null && client.fitzpatrick >= 4 && (
                <span className="muted"> · higher risk of PIH</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Phone</dt>
            <dd>{client.phone || <span className="muted">Not recorded</span>}</dd>
          </div>
          <div>
            <dt>Email</dt>
            <dd>{client.email || <span className="muted">Not recorded</span>}</dd>
          </div>
          {client.notes && (
            <div className="details-wide">
              <dt>Notes</dt>
              <dd className="pre-wrap">{client.notes}</dd>
            </div>
          )}
        </dl>
      </section>

      <section className="card" aria-labelledby="courses-title">
        <div className="section-head">
          <h2 id="courses-title">Courses</h2>
          <button type="button" className="button primary" onClick={() => setDialog('newCourse')}>
            <PlusIcon />
            New course
          </button>
        </div>
        {courses.length === 0 ? (
          <p className="muted">No courses yet. Start one with New course.</p>
        ) : (
          <ul className="course-list">
            {courses.map((course) => (
              <li key={course.id} className="course-item">
                <div className="course-item-head">
                  <a className="course-link" href={href({ name: 'course', id: course.id })}>
                    {courseTitle(course)}
                  </a>
                  <StatusBadge course={course} />
                </div>
                <CourseProgress course={course} />
                <div className="course-item-meta">
                  <NextDue course={course} />
                  <span className="muted">
                    Every {course.plannedIntervalDays} days · started {formatDate(course.startedOn)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <ExportPanel selection={{ clientId: client.id }} what={`${clientName(client)}, every course`} />

      {showHistory && (
        <div id="client-history">
          <HistoryPanel entity="client" entityId={client.id} />
        </div>
      )}

      {dialog === 'editClient' && (
        <ClientForm
          client={client}
          onCancel={() => setDialog('none')}
          onSaved={(c) => {
            setDialog('none');
            setStatus(`${clientName(c)} was saved.`);
          }}
        />
      )}
      {dialog === 'newCourse' && (
        <CourseForm
          clientId={client.id}
          onCancel={() => setDialog('none')}
          onSaved={(course) => {
            setDialog('none');
            navigate({ name: 'course', id: course.id });
          }}
        />
      )}
    </article>
  );
}
