import { useCallback, useState } from 'react';
import type { Warning } from '../../../contract/result.js';
import type {
  AdverseEvent,
  Client,
  Course,
  Practitioner,
  Session,
  Settings,
} from '../../../contract/schemas.js';
import { AREAS } from '../../../contract/domain.js';
import { photoSetFor } from '../../../contract/photoSets.js';
import { call } from '../api.js';
import { LoadFailure } from '../components/LoadFailure.js';
import { allOf, optional, type PageData } from '../data/query.js';
import {
  useAdverseEvents,
  useDeleteSession,
  useRestoreSession,
  useSession,
  useUpdateSession,
} from '../data/sessions.js';
import { useAmendSession, useSessionSigning } from '../data/signing.js';
import { HistoryPanel } from '../components/HistoryPanel.js';
import { href } from '../router.js';
import { SessionForm } from './SessionForm.js';
import { SavedWarnings } from './WarningText.js';
import { SessionHeader } from './SessionHeader.js';
import { SessionPhotos } from '../photos/SessionPhotos.js';
import { computePatch, formFieldOf, toAdverseEvents } from './formConversion.js';
import { NO_MARKS, valuesFromSession } from './formDefaults.js';
import { NO_TIMERS, type FormValues, type Timers } from './formValues.js';
import type { FieldOf } from '../forms/formErrors.js';
import { useForm } from '../forms/useForm.js';
import type { SignedInPerson } from '../../../contract/auth.js';
import type { SessionSigning } from '../../../contract/signing.js';
import { ReasonField } from './ReasonField.js';
import { useCourseReads } from './useCourseReads.js';
import { SigningPanel } from '../signing/SigningPanel.js';
import '../styles/session.css';

interface Loaded {
  session: Session;
  course: Course;
  client: Client | null;
  settings: Settings;
  practitioners: Practitioner[];
  events: AdverseEvent[];
  signing: SessionSigning;
}

/** Everything the edit form starts from, read afresh when the page opens. */
function useEditSession(sessionId: string): PageData<Loaded> {
  const session = useSession(sessionId);
  const courseId = session.data?.courseId;
  const events = useAdverseEvents(courseId);
  const signing = useSessionSigning(sessionId);
  const state = allOf({ session, signing, ...useCourseReads(courseId), events: optional(events, []) }, true);
  if (state.status !== 'ready') return state;
  const { data } = state;
  return { status: 'ready', data: { ...data, events: data.events.filter((e) => e.sessionId === sessionId) } };
}

/** A saved session, corrected: only what changed is sent, and every change is kept in its history. */
export function EditSessionPage({ sessionId, who }: { sessionId: string; who: SignedInPerson }) {
  const loadState = useEditSession(sessionId);

  if (loadState.status === 'loading') return <p className="muted sf-loading">Opening the session…</p>;
  if (loadState.status === 'error') return <LoadFailure what="session" message={loadState.message} />;
  return <EditForm key={sessionId} loaded={loadState.data} who={who} />;
}

type Notice = { kind: 'saved'; warnings: Warning[] } | { kind: 'unchanged' } | null;

function EditForm({ loaded, who }: { loaded: Loaded; who: SignedInPerson }) {
  const { course, client, settings, practitioners } = loaded;
  const [session, setSession] = useState<Session>(loaded.session);
  const [events, setEvents] = useState<AdverseEvent[]>(loaded.events);
  const [values, setValues] = useState<FormValues>(() => valuesFromSession(loaded.session));
  const [timers, setTimers] = useState<Timers>(NO_TIMERS);
  const form = useForm();
  const [notice, setNotice] = useState<Notice>(null);
  const [deleted, setDeleted] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [signing, setSigning] = useState<SessionSigning>(loaded.signing);
  const [reason, setReason] = useState('');
  const signed = signing.signatures.some((s) => s.role === 'author');
  const updateSession = useUpdateSession();
  const amendSession = useAmendSession();
  const deleteSession = useDeleteSession();
  const restoreSession = useRestoreSession();

  const onChange = useCallback((update: (v: FormValues) => FormValues) => {
    setValues(update);
    setNotice(null);
  }, []);

  async function save() {
    if (form.saving) return;
    form.clear();
    setNotice(null);
    const { input: patch, zoneRows } = computePatch(session, values);
    const newEvents = values.adverseEvents;
    const changed = Object.keys(patch).length > 0;
    if (!changed && newEvents.length === 0) {
      setNotice({ kind: 'unchanged' });
      return;
    }
    const adverseEvents = toAdverseEvents(newEvents);
    const fieldOf: FieldOf = (field) =>
      field === 'reason' ? 'addendumReason' : formFieldOf(field, zoneRows);
    // A signed session is corrected by an addendum; adverse events noticed later are records of their
    // own and are added as before. Unsigned: the edit and the events are one transaction.
    let saved =
      signed && changed
        ? await form.save(
            'signing.amend',
            { sessionId: session.id, reason, patch },
            {
              fieldOf,
              send: amendSession,
              also:
                reason.trim() === ''
                  ? [
                      {
                        field: 'addendumReason',
                        message:
                          'This session is signed: say why it is corrected, so the addendum records the reason.',
                      },
                    ]
                  : [],
            },
          )
        : await form.save(
            'sessions.update',
            { id: session.id, patch, adverseEvents },
            { fieldOf, send: updateSession },
          );
    if (saved && signed && changed && adverseEvents.length > 0) {
      saved = await form.save(
        'sessions.update',
        { id: session.id, patch: {}, adverseEvents },
        { fieldOf, send: updateSession },
      );
    }
    if (!saved) return;
    const reply = saved;
    if (signed) {
      const state = await call('signing.get', { id: session.id });
      if (state.ok) setSigning(state.value);
      setReason('');
    }
    setSession(reply.value);
    if (newEvents.length > 0) {
      const listed = await call('adverseEvents.list', { courseId: reply.value.courseId });
      if (listed.ok) setEvents(listed.value.filter((e) => e.sessionId === reply.value.id));
    }
    setValues(valuesFromSession(reply.value));
    setNotice({ kind: 'saved', warnings: reply.warnings });
  }

  async function remove() {
    form.clear();
    const reply = await deleteSession({ id: session.id });
    if (!reply.ok) {
      form.fail([{ field: null, message: reply.error.message }]);
      return;
    }
    setDeleted(true);
  }

  async function undo() {
    const reply = await restoreSession({ id: session.id });
    if (!reply.ok) {
      form.fail([{ field: null, message: reply.error.message }]);
      return;
    }
    setSession(reply.value);
    setDeleted(false);
  }

  return (
    <div className="sf-page">
      <SessionHeader
        title={`Edit session ${session.number}`}
        client={client}
        course={course}
        sessionNumber={session.number}
        backLink={!deleted}
      >
        <button
          type="button"
          className="button"
          aria-expanded={showHistory}
          aria-controls="sf-history"
          onClick={() => setShowHistory((s) => !s)}
        >
          History
        </button>
      </SessionHeader>

      {showHistory && (
        <div id="sf-history" className="sf-history">
          <HistoryPanel entity="session" entityId={session.id} />
        </div>
      )}

      {notice?.kind === 'saved' && (
        <div className={notice.warnings.length ? 'sf-warnings' : 'sf-ok'} role="status">
          {notice.warnings.length ? (
            <SavedWarnings
              title={`${signed ? 'Addendum saved' : 'Changes saved'}. Check:`}
              warnings={notice.warnings}
            />
          ) : (
            <p>{signed ? 'Addendum saved: the signed record is kept as it was.' : 'Changes saved.'}</p>
          )}
        </div>
      )}
      {notice?.kind === 'unchanged' && (
        <p className="sf-ok" role="status">
          Nothing was changed, so there was nothing to save.
        </p>
      )}

      {!deleted && <SigningPanel session={session} signing={signing} who={who} onChange={setSigning} />}

      {deleted ? (
        <section className="sf-deleted" role="status" aria-labelledby="sf-deleted-title">
          <h2 id="sf-deleted-title">Session {session.number} deleted</h2>
          <p>It no longer counts in the course. Its record and history are kept, and you can undo this.</p>
          {form.message && <p className="field-error">{form.message}</p>}
          <div className="sf-done-actions">
            <button type="button" className="button primary" onClick={() => void undo()}>
              Undo
            </button>
            <a className="button" href={href({ name: 'course', id: course.id })}>
              Back to course
            </a>
          </div>
        </section>
      ) : (
        <SessionForm
          course={course}
          settings={settings}
          practitioners={practitioners}
          values={values}
          onChange={onChange}
          timers={timers}
          onTimers={setTimers}
          carriedFrom={null}
          marks={NO_MARKS}
          errors={form.errors}
          saving={form.saving}
          submitLabel={signed ? 'Save as addendum' : 'Save changes'}
          onSubmit={() => void save()}
          beforeActions={
            signed ? (
              <div className="sf-addendum-reason">
                <ReasonField
                  id="addendumReason"
                  label="Reason for the addendum"
                  hint="Required for a correction of a signed session: it is kept with the addendum."
                  error={form.errorFor('addendumReason')}
                  value={reason}
                  onChange={setReason}
                />
              </div>
            ) : null
          }
          savedEvents={events}
          showTimers={false}
          actions={
            signed ? null : (
              <button type="button" className="button sf-danger" onClick={() => void remove()}>
                Delete session
              </button>
            )
          }
        />
      )}

      {!deleted && (
        <SessionPhotos
          session={session}
          requiredViews={photoSetFor(settings.photoSets, course.area)}
          areaLabel={AREAS[course.area]}
          onConsent={(saved) => {
            // Recorded from the photos: the form shows it, and a later save does not send it again.
            setSession(saved);
            setValues((v) => ({ ...v, photoConsent: saved.photoConsent }));
          }}
        />
      )}
    </div>
  );
}
