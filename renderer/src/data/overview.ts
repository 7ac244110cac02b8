import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { OverviewDrillQuery, OverviewFilters } from '../../../contract/progress.js';
import { channelQuery } from './query.js';

/** The clinic's figures for one set of filters; the previous figures stay shown while new ones come. */
export function useOverview(filters: OverviewFilters) {
  return useQuery({ ...channelQuery('overview.get', filters), placeholderData: keepPreviousData });
}

/** The courses behind one figure of the overview, once one is opened. */
export function useOverviewDrill(drill: OverviewDrillQuery | null) {
  return useQuery({
    ...channelQuery('overview.clients', drill ?? { filters: NO_FILTERS, figure: 'active', key: null }),
    enabled: drill !== null,
  });
}

const NO_FILTERS: OverviewFilters = { from: null, to: null, practitionerId: null, area: null };

/** A course's charts: depth, pain and outcomes session by session. */
export function useCourseProgress(courseId: string) {
  return useQuery(channelQuery('courses.progress', { courseId }));
}
