import { useQuery } from '@tanstack/react-query';
import type { ChannelInput } from '../../../contract/channels.js';
import { channelQuery } from './query.js';

/** Lots entered before, most recent first, narrowed by what is typed. */
export function useRecentLots(input: ChannelInput<'lots.recent'>) {
  return useQuery(channelQuery('lots.recent', input));
}

/** Every session that used a lot, once one is searched for. */
export function useLotRecall(lot: string, includeDeleted: boolean) {
  return useQuery({ ...channelQuery('lots.recall', { lot, includeDeleted }), enabled: lot.trim() !== '' });
}
