import { useClient } from '../data/clients.js';
import { usePractitioners, useSettings } from '../data/clinic.js';
import { useCourse } from '../data/courses.js';
import { optional } from '../data/query.js';

/**
 * The reads every session page starts from, for `allOf`: the course, the clinic's settings and
 * practitioners, and the course's client (null once the client is gone, the page still opens).
 */
export function useCourseReads(courseId: string | undefined) {
  const course = useCourse(courseId);
  const settings = useSettings();
  const practitioners = usePractitioners();
  const client = useClient(course.data?.clientId);
  return { course, settings, practitioners, client: optional(client, null) };
}
