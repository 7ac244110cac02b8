import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { channelQuery, read } from './query.js';
import { RECORDS, byId, useWrite } from './stale.js';

export const CLIENT_PAGE_SIZE = 100;

/** One page of a client search, with the search it answers (the list keeps showing it while the next one loads). */
function clientPageQuery(query: string, page: number) {
  const input = { query, limit: CLIENT_PAGE_SIZE, offset: page * CLIENT_PAGE_SIZE };
  return {
    queryKey: ['clients.list', input] as const,
    queryFn: async () => ({ query, ...(await read('clients.list', input)) }),
  };
}

/** The first page of a search; the previous search's answer stays shown until this one is in. */
export function useClientSearch(query: string) {
  return useQuery({ ...clientPageQuery(query, 0), placeholderData: keepPreviousData });
}

/** Further pages of the same search, fetched once each as rows come into view. */
export function useClientPages(query: string, pages: readonly number[]) {
  return useQueries({ queries: pages.map((p) => clientPageQuery(query, p)) });
}

/** One client; `undefined` while the id is still being read (a course's client). */
export function useClient(id: string | undefined) {
  return useQuery({ ...channelQuery('clients.get', { id: id ?? '' }), enabled: id !== undefined });
}

export const useCreateClient = () => useWrite('clients.create', RECORDS);
export const useUpdateClient = () => useWrite('clients.update', RECORDS);
export const useDeleteClient = () => useWrite('clients.delete', RECORDS, byId);
/** Undo of a delete: the undo bar marks everything stale itself. */
export const useRestoreClient = () => useWrite('clients.restore', RECORDS);
