import {
  ById,
  PractitionerInput,
  PractitionerUpdate,
  type Practitioner,
  type PractitionerData,
} from '../../contract/schemas.js';
import {
  countManagers,
  getPractitioner,
  insertPractitioner,
  listPractitioners,
  updatePractitioner,
} from '../../db/practitioners.js';
import { currentActor, inTransaction, type ServiceContext } from './context.js';
import { AppError, parseInput, withoutUndefined } from './errors.js';
import { createRecord, softDelete, updateRecord, type CreatableStore } from './records.js';
import type { z } from 'zod';

export const practitionerStore = {
  entity: 'practitioner',
  label: 'practitioner',
  get: getPractitioner,
  insert: insertPractitioner,
  update: updatePractitioner,
} satisfies CreatableStore<Practitioner, PractitionerData>;

export function practitionerService(ctx: ServiceContext) {
  return {
    list: (): Practitioner[] => listPractitioners(ctx.db),

    create(input: z.input<typeof PractitionerInput>): Practitioner {
      const data = parseInput(PractitionerInput, input);
      return inTransaction(ctx, () =>
        // The first practitioner of a clinic is its manager: a clinic always keeps one.
        createRecord(
          ctx,
          practitionerStore,
          listPractitioners(ctx.db).length === 0 ? { ...data, role: 'manager' as const } : data,
        ),
      );
    },

    update(input: z.input<typeof PractitionerUpdate>): Practitioner {
      const { id, patch } = parseInput(PractitionerUpdate, input);
      return inTransaction(ctx, () => {
        const updated = updateRecord(ctx, practitionerStore, id, (before) => ({
          ...before,
          ...withoutUndefined(patch),
        }));
        keepAManager(ctx);
        return updated;
      });
    },

    delete(input: z.input<typeof ById>): null {
      const { id } = parseInput(ById, input);
      // Every change is signed by the current practitioner: there must always be one on the list.
      if (currentActor(ctx) === id) {
        throw new AppError(
          'conflict',
          'This is the practitioner currently using NeedleLog. Switch to someone else before removing them.',
        );
      }
      return inTransaction(ctx, () => {
        softDelete(ctx, practitionerStore, id);
        keepAManager(ctx);
        return null;
      });
    },
  };
}

/** Inside the transaction of a change: a clinic always keeps at least one manager. */
function keepAManager(ctx: ServiceContext): void {
  if (countManagers(ctx.db) === 0) {
    throw new AppError(
      'conflict',
      'A clinic always keeps at least one manager. Make someone else a manager first.',
      'role',
    );
  }
}
