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
      const { adverseEvents, ...data } = parseInput(SessionCreate, input);
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
          updateSession(ctx.db, { ...toRecord(before), ...changes, id, updatedAt: at });
          audit(ctx, 'session', id, 'update', before, getSession(ctx.db, id), at);
        }
        addAdverseEvents(id, adverseEvents, at);
        const after = getSession(ctx.db, id) as Session;
        return { value: after, warnings: warningsFor(after) };
      });
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, sessionStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): Session {
      return restore(ctx, sessionStore, parseInput(ById, input).id, {
        store: courseStore,
        idOf: (s) => s.courseId,
      });
    },
  };
}
