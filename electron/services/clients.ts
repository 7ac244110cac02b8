import type { z } from 'zod';
import {
  ById,
  ClientInput,
  ClientListQuery,
  ClientUpdate,
  type Client,
  type ClientData,
} from '../../contract/schemas.js';
import { getClient, insertClient, listClients, updateClient, type ClientPage } from '../../db/clients.js';
import type { ServiceContext } from './context.js';
import { parseInput, withoutUndefined } from './errors.js';
import {
  createRecord,
  requireLive,
  restore,
  softDelete,
  updateRecord,
  type CreatableStore,
} from './records.js';

export const clientStore = {
  entity: 'client',
  label: 'client',
  get: getClient,
  insert: insertClient,
  update: updateClient,
} satisfies CreatableStore<Client, ClientData>;

export function clientService(ctx: ServiceContext) {
  return {
    list(query: z.input<typeof ClientListQuery>): ClientPage {
      return listClients(ctx.db, parseInput(ClientListQuery, query));
    },

    get(input: z.input<typeof ById>): Client {
      return requireLive(ctx, clientStore, parseInput(ById, input).id);
    },

    create(input: z.input<typeof ClientInput>): Client {
      return createRecord(ctx, clientStore, parseInput(ClientInput, input));
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
