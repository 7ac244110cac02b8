import type { z } from 'zod';
import type { Warning } from '../../contract/result.js';
import {
  ByCourse,
  ById,
  SessionCreate,
  SessionUpdate,
  type AdverseEvent,
  type Session,
} from '../../contract/schemas.js';
import { insertAdverseEvent } from '../../db/adverseEvents.js';
import { getCourse, type CourseRow } from '../../db/courses.js';
import { deleteDraft } from '../../db/drafts.js';
import { newId } from '../../db/ids.js';
import {
  getSession,
  insertSession,
  listSessionsOfCourse,
  previousSessionAt,
  updateSession,
  type SessionRecord,
} from '../../db/sessions.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { courseStore } from './courses.js';
import { checkEventDates } from './adverseEventRules.js';
import { AppError, parseInput, withoutUndefined } from './errors.js';
import { practitionerStore } from './practitioners.js';
import { requireLive, restore, softDelete, type RecordStore } from './records.js';
import { sessionWarnings } from './sessionWarnings.js';
import { loadSettings } from './settings.js';
import { AmendSession } from '../../contract/signing.js';
import { hasConsent, insertConsentOverride, isSigned } from '../../db/signing.js';
import { currentActor } from './context.js';
import { recordAddendum, signedRefusal } from './signing.js';

type NewAdverseEvent = z.output<typeof SessionCreate>['adverseEvents'][number];

export interface Saved<T> {
  value: T;
  warnings: Warning[];
}

export const sessionStore: RecordStore<Session> = {
  entity: 'session',
  label: 'session',
  get: getSession,
  update: (db, s) => updateSession(db, toRecord(s)),
};

export function toRecord(s: Session): SessionRecord {
  const { number: _n, practitionerName: _p, ...record } = s;
  return record;
}

export function sessionService(ctx: ServiceContext) {
  function requirePractitioner(id: string): void {
    try {
      requireLive(ctx, practitionerStore, id);
    } catch {
      throw new AppError('invalid_input', 'Choose a practitioner from the list.', 'practitionerId');
    }
  }

  /** Files adverse events under a session; runs inside the caller's transaction. */
  function addAdverseEvents(sessionId: string, events: NewAdverseEvent[], at: string): void {
    events.forEach((fields, i) => {
      checkEventDates(fields, `adverseEvents.${i}.resolvedOn`);
      const event: AdverseEvent = {
        id: newId(),
        sessionId,
        ...fields,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      };
      insertAdverseEvent(ctx.db, event);
      audit(ctx, 'adverse_event', event.id, 'create', null, event, at);
    });
  }

  /**
   * A course without signed consent on file: where the clinic requires it, a session is logged
   * only with the reason why, which is kept with the session. Runs inside the create transaction.
   */
  function checkConsent(courseId: string, sessionId: string, reason: string, at: string): void {
    if (hasConsent(ctx.db, courseId)) return;
    if (reason === '') {
      if (!loadSettings(ctx).requireSignedConsent) return;
      throw new AppError(
        'conflict',
        'This course has no signed consent on file. Have the client sign the consent form first (Consent, on the course page), or give the reason for logging the session without it.',
        'consentOverrideReason',
      );
    }
    const id = newId();
    insertConsentOverride(ctx.db, { id, sessionId, actorId: currentActor(ctx), at, reason });
    audit(ctx, 'consent_override', id, 'create', null, { sessionId, courseId, reason }, at);
  }

  function warningsFor(session: Session): Warning[] {
    const course = getCourse(ctx.db, session.courseId) as CourseRow;
    const previous = previousSessionAt(ctx.db, session.courseId, session.performedAt, session.id);
    return sessionWarnings(session, course, loadSettings(ctx), previous);
  }

  return {
    list(input: z.input<typeof ByCourse>): Session[] {
      return listSessionsOfCourse(ctx.db, parseInput(ByCourse, input).courseId);
    },

    get(input: z.input<typeof ById>): Session {
      return requireLive(ctx, sessionStore, parseInput(ById, input).id);
    },

    /** Saves a session with its zone depths and audit row in one transaction. */
    create(input: z.input<typeof SessionCreate>): Saved<Session> {
      const { adverseEvents, consentOverrideReason, ...data } = parseInput(SessionCreate, input);
      return inTransaction(ctx, () => {
        requireLive(ctx, courseStore, data.courseId);
        requirePractitioner(data.practitionerId);
        const at = nowIso(ctx);
        const id = newId();
        insertSession(ctx.db, {
          id,
          ...data,
          photoConsentDeclinedAt: null,
          createdAt: at,
          updatedAt: at,
          deletedAt: null,
        });
        const saved = getSession(ctx.db, id) as Session;
        audit(ctx, 'session', id, 'create', null, saved, at);
        checkConsent(data.courseId, id, consentOverrideReason, at);
        addAdverseEvents(id, adverseEvents, at);
        // The draft has become a record: drop it in the same transaction, so a crash leaves one or the other.
        deleteDraft(ctx.db, data.courseId);
        return { value: saved, warnings: warningsFor(saved) };
      });
    },

    update(input: z.input<typeof SessionUpdate>): Saved<Session> {
      const { id, patch, adverseEvents } = parseInput(SessionUpdate, input);
      const changes = withoutUndefined(patch);
      return inTransaction(ctx, () => {
        const before = requireLive(ctx, sessionStore, id);
        if (changes.practitionerId) requirePractitioner(changes.practitionerId);
        const at = nowIso(ctx);
        if (Object.keys(changes).length > 0) {
          // Adverse events noticed later are records of their own; the signed session is not edited.
          const refusal = signedRefusal(ctx, before, 'edited');
          if (refusal) throw refusal;
          updateSession(ctx.db, { ...toRecord(before), ...changes, id, updatedAt: at });
          audit(ctx, 'session', id, 'update', before, getSession(ctx.db, id), at);
        }
        addAdverseEvents(id, adverseEvents, at);
        const after = getSession(ctx.db, id) as Session;
        return { value: after, warnings: warningsFor(after) };
      });
    },

    /**
     * A correction of a signed session, as an addendum: the session takes the corrected values
     * (so charts and exports show them), the addendum keeps who, when, why and each value before
     * and after, and the signature keeps the record exactly as it was signed.
     */
    amend(input: z.input<typeof AmendSession>): Saved<Session> {
      const { sessionId, reason, patch } = parseInput(AmendSession, input);
      const changes = withoutUndefined(patch);
      return inTransaction(ctx, () => {
        const before = requireLive(ctx, sessionStore, sessionId);
        if (!isSigned(ctx.db, sessionId)) {
          throw new AppError(
            'conflict',
            `Session ${before.number} is not signed yet: edit it directly, no addendum is needed.`,
          );
        }
        if (changes.practitionerId !== undefined && changes.practitionerId !== before.practitionerId) {
          throw new AppError(
            'invalid_input',
            `The practitioner of a signed session cannot change: ${before.practitionerName} signed it. Say who else took part in the reason or the notes.`,
            'practitionerId',
          );
        }
        const at = nowIso(ctx);
        const changed = Object.entries(changes).some(
          ([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key as keyof Session]),
        );
        // Without a changed field the addendum is a note, and the session row is left as it is.
        if (changed) {
          updateSession(ctx.db, { ...toRecord(before), ...changes, id: sessionId, updatedAt: at });
          audit(ctx, 'session', sessionId, 'update', before, getSession(ctx.db, sessionId), at);
        }
        const after = getSession(ctx.db, sessionId) as Session;
        recordAddendum(ctx, before, after, reason, at);
        return { value: after, warnings: warningsFor(after) };
      });
    },

    delete(input: z.input<typeof ById>): null {
      const { id } = parseInput(ById, input);
      const session = getSession(ctx.db, id);
      const refusal = session && signedRefusal(ctx, session, 'deleted');
      if (refusal) throw refusal;
      return softDelete(ctx, sessionStore, id);
    },

    restore(input: z.input<typeof ById>): Session {
      return restore(ctx, sessionStore, parseInput(ById, input).id, {
        store: courseStore,
        idOf: (s) => s.courseId,
      });
    },
  };
}
