import { PractitionerInput, PractitionerUpdate, type Practitioner } from '../../contract/schemas.js';
import { ById } from '../../contract/schemas.js';
import {
  getPractitioner,
  insertPractitioner,
  listPractitioners,
  updatePractitioner,
} from '../../db/practitioners.js';
import { newId } from '../../db/ids.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { parseInput, withoutUndefined } from './errors.js';
import { softDelete, updateRecord, type RecordStore } from './records.js';
import type { z } from 'zod';

export const practitionerStore: RecordStore<Practitioner> = {
  entity: 'practitioner',
  label: 'practitioner',
  get: getPractitioner,
  update: updatePractitioner,
};

export function practitionerService(ctx: ServiceContext) {
  return {
    list: (): Practitioner[] => listPractitioners(ctx.db),

    create(input: z.input<typeof PractitionerInput>): Practitioner {
      const data = parseInput(PractitionerInput, input);
      return inTransaction(ctx, () => {
        const at = nowIso(ctx);
        const p: Practitioner = { id: newId(), ...data, createdAt: at, updatedAt: at, deletedAt: null };
        insertPractitioner(ctx.db, p);
        audit(ctx, 'practitioner', p.id, 'create', null, p, at);
        return p;
      });
    },

    update(input: z.input<typeof PractitionerUpdate>): Practitioner {
      const { id, patch } = parseInput(PractitionerUpdate, input);
      return updateRecord(ctx, practitionerStore, id, (before) => ({
        ...before,
        ...withoutUndefined(patch),
      }));
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, practitionerStore, parseInput(ById, input).id);
    },
  };
}
