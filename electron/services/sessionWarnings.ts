import { clinicLocale, formatterFor } from '../../contract/format.js';
import type { Warning } from '../../contract/result.js';
import type { Session, Settings } from '../../contract/schemas.js';
import { sessionWarnings as clinicalWarnings } from '../../contract/warnings.js';
import type { CourseRow } from '../../db/courses.js';

/**
 * Clinical-range checks of a saved session, by the rules the live form uses (contract/warnings.ts).
 * They never block a save: they are shown after it, for the practitioner to confirm or correct.
 */
export function sessionWarnings(
  session: Session,
  course: CourseRow,
  settings: Settings,
  previousAt: string | null,
): Warning[] {
  const num = formatterFor(clinicLocale(settings)).number;
  return clinicalWarnings(session, {
    indication: course.indication,
    depthRanges: settings.depthRanges,
    indicationDepthRanges: settings.indicationDepthRanges,
    plannedSessions: course.plannedSessions,
    previousAt,
    sessionNumber: session.deletedAt === null ? session.number : null,
    num: (n) => num(n),
  });
}
