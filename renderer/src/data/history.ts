import { useQuery } from '@tanstack/react-query';
import type { ChannelInput } from '../../../contract/channels.js';
import { channelQuery } from './query.js';

/** Who changed what on one record, oldest first as the host keeps it. */
export function useAudit(query: ChannelInput<'audit.list'>) {
  return useQuery(channelQuery('audit.list', query));
}
