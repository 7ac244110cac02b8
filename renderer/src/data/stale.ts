import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../contract/channels.js';
import type { Reply } from '../../../contract/result.js';
import { call } from '../api.js';
import { domainOf, recordIdOf, type Domain } from './query.js';

/**
 * The clinical records hang together: a session moves its course's progress, the overview, the
 * unsigned list, lot recall and the history. So any record write marks every record read stale;
 * only what is on screen is read again, which is what the pages did before by hand.
 */
export const RECORDS: readonly Domain[] = [
  'clients',
  'courses',
  'sessions',
  'adverseEvents',
  'photos',
  'signing',
  'consents',
  'lots',
  'overview',
  'audit',
  'activity',
  'drafts',
];

/** The clinic itself: who works here, its settings, who is signed in. */
export const CLINIC: readonly Domain[] = [
  'settings',
  'practitioners',
  'auth',
  'security',
  'activity',
  'audit',
];

/**
 * Marks reads stale: the named domains, or everything (undo, demo load, restore, import). The reads
 * of a record just deleted (`gone`) are left alone: read again they would only say "not found" on a
 * page that is about to close or that shows the deletion itself.
 */
export function markStale(client: QueryClient, domains: readonly Domain[] | 'all', gone?: string): void {
  if (domains === 'all') {
    void client.invalidateQueries();
    return;
  }
  if (domains.length === 0) return;
  const wanted = new Set<string>(domains);
  void client.invalidateQueries({
    predicate: (q) => wanted.has(domainOf(q)) && (gone === undefined || recordIdOf(q) !== gone),
  });
}

/**
 * A write through `call()`: resolves to its reply as `call()` does (forms read the error's code and
 * fields), and once it worked marks `stale` so every screen showing that data reads it again.
 */
export function useWrite<C extends Channel>(
  channel: C,
  stale: readonly Domain[] | 'all',
  deletes?: (input: ChannelInput<C>) => string,
): (input: ChannelInput<C>) => Promise<Reply<ChannelOutput<C>>> {
  const client = useQueryClient();
  return useMutation({
    mutationKey: [channel],
    mutationFn: (input: ChannelInput<C>) => call(channel, input),
    onSuccess: (reply, input) => {
      if (reply.ok) markStale(client, stale, deletes?.(input));
    },
  }).mutateAsync;
}

/** The deleted record of a delete by id. */
export const byId = (input: { id: string }) => input.id;

/** For work that runs outside one component's life (undo, demo load): marks stale on demand. */
export function useMarkStale(): (domains: readonly Domain[] | 'all') => void {
  const client = useQueryClient();
  return useCallback((domains) => markStale(client, domains), [client]);
}
