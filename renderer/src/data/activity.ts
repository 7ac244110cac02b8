import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ChannelInput } from '../../../contract/channels.js';
import { channelQuery } from './query.js';

/** The activity log for one set of filters; the previous page stays shown while the next comes. */
export function useActivity(query: ChannelInput<'activity.list'>) {
  return useQuery({ ...channelQuery('activity.list', query), placeholderData: keepPreviousData });
}
