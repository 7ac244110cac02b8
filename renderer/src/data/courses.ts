import { useQuery } from '@tanstack/react-query';
import { channelQuery } from './query.js';
import { RECORDS, useWrite } from './stale.js';

export function useCourses(clientId: string) {
  return useQuery(channelQuery('courses.list', { clientId }));
}

/** One course; `undefined` while its id is still being read (a session's course). */
export function useCourse(id: string | undefined) {
  return useQuery({ ...channelQuery('courses.get', { id: id ?? '' }), enabled: id !== undefined });
}

export const useCreateCourse = () => useWrite('courses.create', RECORDS);
export const useUpdateCourse = () => useWrite('courses.update', RECORDS);
export const useSetCourseStatus = () => useWrite('courses.setStatus', RECORDS);
