import {
  ById,
  PractitionerInput,
  PractitionerUpdate,
  type Practitioner,
  type PractitionerData,
} from '../../contract/schemas.js';
import {
  getPractitioner,
  insertPractitioner,
  listPractitioners,
  updatePractitioner,
} from '../../db/practitioners.js';
import { currentActor, type ServiceContext } from './context.js';
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
      return createRecord(ctx, practitionerStore, parseInput(PractitionerInput, input));
    },

    update(input: z.input<typeof PractitionerUpdate>): Practitioner {
      const { id, patch } = parseInput(PractitionerUpdate, input);
      return updateRecord(ctx, practitionerStore, id, (before) => ({
        ...before,
        ...withoutUndefined(patch),
      }));
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
      return softDelete(ctx, practitionerStore, id);
    },
  };
}
