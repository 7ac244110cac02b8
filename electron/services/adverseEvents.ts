import type { z } from 'zod';
import {
  AdverseEventInput,
  AdverseEventUpdate,
  ByCourse,
  ById,
  type AdverseEvent,
  type AdverseEventData,
} from '../../contract/schemas.js';
import {
  getAdverseEvent,
  insertAdverseEvent,
  listAdverseEventsOfCourse,
  updateAdverseEvent,
} from '../../db/adverseEvents.js';
import type { ServiceContext } from './context.js';
import { checkEventDates } from './adverseEventRules.js';
import { parseInput, withoutUndefined } from './errors.js';
import {
  createRecord,
  requireLive,
  restore,
  softDelete,
  updateRecord,
  type CreatableStore,
} from './records.js';
import { sessionStore } from './sessions.js';

const adverseEventStore = {
  entity: 'adverse_event',
  label: 'adverse event',
  get: getAdverseEvent,
  insert: insertAdverseEvent,
  update: updateAdverseEvent,
} satisfies CreatableStore<AdverseEvent, AdverseEventData>;

export function adverseEventService(ctx: ServiceContext) {
  return {
    list(input: z.input<typeof ByCourse>): AdverseEvent[] {
      return listAdverseEventsOfCourse(ctx.db, parseInput(ByCourse, input).courseId);
    },

    create(input: z.input<typeof AdverseEventInput>): AdverseEvent {
      const data = parseInput(AdverseEventInput, input);
      checkEventDates(data);
      return createRecord(ctx, adverseEventStore, data, () => requireLive(ctx, sessionStore, data.sessionId));
    },

    update(input: z.input<typeof AdverseEventUpdate>): AdverseEvent {
      const { id, patch } = parseInput(AdverseEventUpdate, input);
      return updateRecord(ctx, adverseEventStore, id, (before) => {
        const next = { ...before, ...withoutUndefined(patch) };
        checkEventDates(next);
        return next;
      });
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, adverseEventStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): AdverseEvent {
      return restore(ctx, adverseEventStore, parseInput(ById, input).id, {
        store: sessionStore,
        idOf: (e) => e.sessionId,
      });
    },
  };
}
