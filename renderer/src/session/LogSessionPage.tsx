import { useCallback, useMemo, useRef, useState } from 'react';
import type { Warning } from '../../../contract/result.js';
import type { Client, Course, Practitioner, Session, Settings } from '../../../contract/schemas.js';
import { AREAS } from '../../../contract/domain.js';
import { photoSetFor } from '../../../contract/photoSets.js';
import { LoadFailure } from '../components/LoadFailure.js';
import { allOf, optional, type PageData } from '../data/query.js';
import { useCreateSession, useDiscardDraft, useDraft, useSessions } from '../data/sessions.js';
import { useCourseConsents } from '../data/signing.js';
import { href } from '../router.js';
import { fmt } from '../format.js';
import { formatDateTime } from './history.js';
import { SessionForm } from './SessionForm.js';
import { SavedWarnings } from './WarningText.js';
import { SessionHeader } from './SessionHeader.js';
import { formFieldOf, toCreateInput } from './formConversion.js';
import { carriedMarks, startValues } from './formDefaults.js';
import { fromDraft, toDraft } from './formDrafts.js';
import { NO_TIMERS, type DraftData, type FormStart, type FormValues, type Timers } from './formValues.js';
import { useForm } from '../forms/useForm.js';
import { useDraftAutosave } from './useDraft.js';
import { signedInPractitionerId, takeResume } from '../auth/lockHooks.js';
import { SessionPhotos } from '../photos/SessionPhotos.js';
import { ReasonField } from './ReasonField.js';
import { useCourseReads } from './useCourseReads.js';
import '../styles/session.css';
import '../styles/signing.css';

interface Loaded {
  course: Course;
  client: Client | null;
  settings: Settings;
  practitioners: Practitioner[];
  start: FormStart;
  /** When the course's latest session was, for the live interval check. */
  previousAt: string | null;
  draft: { data: DraftData; updatedAt: string } | null;
  /** Whether the course has a signed consent form on file. */
  consentOnFile: boolean;
}

/** Everything the new session's form starts from, read afresh when the page opens. */
function useLogSession(courseId: string): PageData<Loaded> {
  // The session is logged as of when the page opened (the practitioner can change it).
  const [openedAt] = useState(() => Date.now());
  const sessions = useSessions(courseId);
  const draft = useDraft(courseId);
  const consents = useCourseConsents(courseId);
  const state = allOf(
    { ...useCourseReads(courseId), sessions, draft, consents: optional(consents, []) },
    true,
  );
  if (state.status !== 'ready') return state;
  const { data } = state;
  const people = data.practitioners;
  // The one signed in is the default; they can name a colleague who performed the session.
  const current = signedInPractitionerId() ?? data.settings.currentPractitionerId;
  const practitionerId = people.some((p) => p.id === current) ? (current as string) : (people[0]?.id ?? '');
  const previous = data.sessions.at(-1) ?? null;
  const start = startValues(
    {
      area: data.course.area,
      now: new Date(openedAt),
      practitionerId,
      defaultNumbingAgent: data.settings.defaultNumbingAgent,
    },
    previous,
  );
  const stored = data.draft ? fromDraft(data.draft.data) : null;
  return {
    status: 'ready',
    data: {
      course: data.course,
      client: data.client,
      settings: data.settings,
      practitioners: people,
      start,
      previousAt: previous?.performedAt ?? null,
      draft: stored && data.draft ? { data: stored, updatedAt: data.draft.updatedAt } : null,
      consentOnFile: data.consents.length > 0,
    },
  };
}

/** "Log session" for a course: a new form each time a session has been saved and another is logged. */
export function LogSessionPage({ courseId }: { courseId: string }) {
  const [round, setRound] = useState(0);
  return (
    <LogSession key={`${courseId}-${round}`} courseId={courseId} onLogNext={() => setRound((n) => n + 1)} />
  );
}

function LogSession({ courseId, onLogNext }: { courseId: string; onLogNext: () => void }) {
  const loadState = useLogSession(courseId);

  if (loadState.status === 'loading') return <p className="muted sf-loading">Opening the course…</p>;
  if (loadState.status === 'error') return <LoadFailure what="course" message={loadState.message} />;
  return <LogForm courseId={courseId} loaded={loadState.data} onLogNext={onLogNext} />;
}

type Phase = { name: 'offer' } | { name: 'form' } | { name: 'saved'; session: Session; warnings: Warning[] };

function LogForm({
  courseId,
  loaded,
  onLogNext,
}: {
  courseId: string;
  loaded: Loaded;
  onLogNext: () => void;
}) {
  const { course, client, settings, practitioners } = loaded;
  // Back from the lock screen: the form as it was, without asking.
  const [resumed] = useState(() => loaded.draft !== null && takeResume(courseId));
  const [phase, setPhase] = useState<Phase>(loaded.draft && !resumed ? { name: 'offer' } : { name: 'form' });
  const [start, setStart] = useState<Omit<FormStart, 'values'>>(
    resumed && loaded.draft
      ? {
          carriedFrom: loaded.draft.data.carriedFrom,
          carried: loaded.draft.data.carried,
          origin: loaded.draft.data.origin,
        }
      : loaded.start,
  );
  const [values, setValues] = useState<FormValues>(
    resumed && loaded.draft ? loaded.draft.data.values : loaded.start.values,
  );
  const [timers, setTimers] = useState<Timers>(
    resumed && loaded.draft ? loaded.draft.data.timers : NO_TIMERS,
  );
  const [touched, setTouched] = useState(resumed);
  const form = useForm();
  const [consentReason, setConsentReason] = useState('');
  const draftData = useMemo(
    () => (touched && phase.name === 'form' ? toDraft(start, values, timers) : null),
    [touched, phase.name, start, values, timers],
  );
  const { status: draftStatus, settle, resume } = useDraftAutosave(courseId, draftData);
  const discardDraftWrite = useDiscardDraft();
  const createSession = useCreateSession();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const onChange = useCallback((update: (v: FormValues) => FormValues) => {
    setValues(update);
    setTouched(true);
  }, []);
  const onTimers = useCallback((update: (t: Timers) => Timers) => {
    setTimers(update);
    setTouched(true);
  }, []);

  function resumeDraft() {
    const d = loaded.draft;
    if (!d) return;
    setValues(d.data.values);
    setTimers(d.data.timers);
    setStart({ carriedFrom: d.data.carriedFrom, carried: d.data.carried, origin: d.data.origin });
    setPhase({ name: 'form' });
  }

  async function discardDraft() {
    await discardDraftWrite({ courseId });
    setPhase({ name: 'form' });
  }

  async function save() {
    if (form.saving) return;
    // No autosave may land after the session is saved: the server drops the draft with the save.
    await settle();
    const { input, zoneRows } = toCreateInput(courseId, values);
    const saved = await form.save(
      'sessions.create',
      { ...input, ...(loaded.consentOnFile ? {} : { consentOverrideReason: consentReason }) },
      {
        fieldOf: (field) => (field === 'consentOverrideReason' ? field : formFieldOf(field, zoneRows)),
        send: createSession,
      },
    );
    if (!saved) {
      resume(toDraft(start, values, timers));
      return;
    }
    setPhase({ name: 'saved', session: saved.value, warnings: saved.warnings });
    window.scrollTo({ top: 0 });
    window.setTimeout(() => headingRef.current?.focus());
  }

  const sessionNumber = phase.name === 'saved' ? phase.session.number : course.sessionCount + 1;

  return (
    <div className="sf-page">
      <SessionHeader
        title="Log session"
        client={client}
        course={course}
        sessionNumber={sessionNumber}
        backLink={phase.name !== 'saved'}
      />

      {phase.name === 'offer' && loaded.draft && (
        <section className="sf-offer" aria-labelledby="sf-offer-title">
          <h2 id="sf-offer-title">An unfinished session was kept</h2>
          <p>
            A draft of this course’s next session was saved {formatDateTime(loaded.draft.updatedAt)}
            {loaded.draft.data.timers.numbingStartedAt !== null ||
            loaded.draft.data.timers.procedureStartedAt !== null
              ? ', with a timer still running'
              : ''}
            .
          </p>
          <div className="sf-offer-actions">
            <button type="button" className="button primary" onClick={resumeDraft}>
              Resume draft
            </button>
            <button type="button" className="button" onClick={() => void discardDraft()}>
              Discard draft
            </button>
          </div>
        </section>
      )}

      {phase.name === 'saved' && (
        <section className="sf-done" aria-labelledby="sf-done-title">
          <h2 id="sf-done-title" ref={headingRef} tabIndex={-1}>
            Session {phase.session.number} saved
          </h2>
          {phase.warnings.length > 0 ? (
            <div className="sf-warnings" role="alert">
              <SavedWarnings title="Saved. Check:" warnings={phase.warnings} />
              <p>If this was intended, nothing more is needed; otherwise correct it in the session.</p>
            </div>
          ) : (
            <p role="status">Saved, with nothing out of the ordinary.</p>
          )}
          <div className="sf-done-actions">
            <a className="button primary" href={href({ name: 'course', id: course.id })}>
              Back to course
            </a>
            <a className="button" href={href({ name: 'editSession', id: phase.session.id })}>
              Edit session {phase.session.number}
            </a>
            <button type="button" className="button" onClick={onLogNext}>
              Log next session
            </button>
          </div>
        </section>
      )}

      {phase.name === 'saved' && (
        <SessionPhotos
          session={phase.session}
          requiredViews={photoSetFor(settings.photoSets, course.area)}
          areaLabel={AREAS[course.area]}
        />
      )}

      {phase.name === 'form' && !loaded.consentOnFile && (
        <p className="sg-override sf-consent-missing">
          No signed consent is on file for this course.{' '}
          <a href={href({ name: 'consent', courseId: course.id })}>Sign consent</a> with the client first
          {settings.requireSignedConsent ? ', or give the reason for logging without it below.' : '.'}
        </p>
      )}

      {phase.name === 'form' && (
        <SessionForm
          course={course}
          settings={settings}
          practitioners={practitioners}
          values={values}
          onChange={onChange}
          timers={timers}
          onTimers={onTimers}
          carriedFrom={start.carriedFrom}
          marks={carriedMarks(start, values)}
          previousAt={loaded.previousAt}
          sessionNumber={sessionNumber}
          status={
            <p className="sf-draft-status" role="status">
              {draftStatus.state === 'saved' && `Draft saved ${fmt().time(draftStatus.at)}`}
              {draftStatus.state === 'error' && `The draft could not be saved: ${draftStatus.message}`}
            </p>
          }
          errors={form.errors}
          saving={form.saving}
          submitLabel="Save session"
          onSubmit={() => void save()}
          beforeActions={
            !loaded.consentOnFile && settings.requireSignedConsent ? (
              <ReasonField
                id="consentOverrideReason"
                label="Reason for logging without signed consent"
                hint="Kept with the session, in its record and the report."
                error={form.errorFor('consentOverrideReason')}
                value={consentReason}
                onChange={setConsentReason}
              />
            ) : null
          }
        />
      )}
    </div>
  );
}
