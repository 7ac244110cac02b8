import { effectiveDepthRange } from '../../contract/domain.js';
import { clinicLocale, formatterFor } from '../../contract/format.js';
import type { Warning } from '../../contract/result.js';
import type { Session, Settings } from '../../contract/schemas.js';
import {
  beyondPlanWarning,
  depthWarning,
  intervalWarning,
  numbingWarning,
  type ClinicalWarning,
} from '../../contract/warnings.js';
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
  const found: (ClinicalWarning | null)[] = [
    ...session.zones.map((z, i) =>
      depthWarning(
        z.zone,
        z.depthMm,
        effectiveDepthRange(z.zone, course.indication, settings.depthRanges, settings.indicationDepthRanges),
        i,
        (n) => num(n),
      ),
    ),
    numbingWarning(session.numbingMinutes, (n) => num(n)),
    intervalWarning(session.performedAt, previousAt),
    session.deletedAt === null ? beyondPlanWarning(session.number, course.plannedSessions) : null,
  ];
  return found.filter((w): w is ClinicalWarning => w !== null);
}
