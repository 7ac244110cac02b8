import type { z } from 'zod';
import {
  AdverseEventInput,
  AdverseEventUpdate,
  ByCourse,
  ById,
  type AdverseEvent,
} from '../../contract/schemas.js';
import {
  getAdverseEvent,
  insertAdverseEvent,
  listAdverseEventsOfCourse,
  updateAdverseEvent,
} from '../../db/adverseEvents.js';
import { newId } from '../../db/ids.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, parseInput, withoutUndefined } from './errors.js';
import { requireLive, restore, softDelete, updateRecord, type RecordStore } from './records.js';
import { sessionStore } from './sessions.js';

export const adverseEventStore: RecordStore<AdverseEvent> = {
  entity: 'adverse_event',
  label: 'adverse event',
  get: getAdverseEvent,
  update: updateAdverseEvent,
};

function checkDates(e: { onsetOn: string; resolvedOn: string | null }): void {
  if (e.resolvedOn !== null && e.resolvedOn < e.onsetOn) {
    throw new AppError('invalid_input', 'The resolved date cannot be before the onset date.', 'resolvedOn');
  }
}

export function adverseEventService(ctx: ServiceContext) {
  return {
    list(input: z.input<typeof ByCourse>): AdverseEvent[] {
      return listAdverseEventsOfCourse(ctx.db, parseInput(ByCourse, input).courseId);
    },

    create(input: z.input<typeof AdverseEventInput>): AdverseEvent {
      const data = parseInput(AdverseEventInput, input);
      checkDates(data);
      return inTransaction(ctx, () => {
        requireLive(ctx, sessionStore, data.sessionId);
        const at = nowIso(ctx);
        const e: AdverseEvent = { id: newId(), ...data, createdAt: at, updatedAt: at, deletedAt: null };
        insertAdverseEvent(ctx.db, e);
        audit(ctx, 'adverse_event', e.id, 'create', null, e, at);
        return e;
      });
    },

    update(input: z.input<typeof AdverseEventUpdate>): AdverseEvent {
      const { id, patch } = parseInput(AdverseEventUpdate, input);
      return updateRecord(ctx, adverseEventStore, id, (before) => {
        const next = { ...before, ...withoutUndefined(patch) };
        checkDates(next);
        return next;
      });
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, adverseEventStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): AdverseEvent {
      return restore(ctx, adverseEventStore, parseInput(ById, input).id);
    },
  };
}
