import type { z } from 'zod';
import { ById, ClientInput, ClientListQuery, ClientUpdate, type Client } from '../../contract/schemas.js';
import { getClient, insertClient, listClients, updateClient, type ClientPage } from '../../db/clients.js';
import { newId } from '../../db/ids.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { parseInput, withoutUndefined } from './errors.js';
import { requireLive, restore, softDelete, updateRecord, type RecordStore } from './records.js';

export const clientStore: RecordStore<Client> = {
  entity: 'client',
  label: 'client',
  get: getClient,
  update: updateClient,
};

export function clientService(ctx: ServiceContext) {
  return {
    list(query: z.input<typeof ClientListQuery>): ClientPage {
      return listClients(ctx.db, parseInput(ClientListQuery, query));
    },

    get(input: z.input<typeof ById>): Client {
      return requireLive(ctx, clientStore, parseInput(ById, input).id);
    },

    create(input: z.input<typeof ClientInput>): Client {
      const data = parseInput(ClientInput, input);
      return inTransaction(ctx, () => {
        const at = nowIso(ctx);
        const c: Client = { id: newId(), ...data, createdAt: at, updatedAt: at, deletedAt: null };
        insertClient(ctx.db, c);
        audit(ctx, 'client', c.id, 'create', null, c, at);
        return c;
      });
    },

    update(input: z.input<typeof ClientUpdate>): Client {
      const { id, patch } = parseInput(ClientUpdate, input);
      return updateRecord(ctx, clientStore, id, (before) => ({ ...before, ...withoutUndefined(patch) }));
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, clientStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): Client {
      return restore(ctx, clientStore, parseInput(ById, input).id);
    },
  };
}
