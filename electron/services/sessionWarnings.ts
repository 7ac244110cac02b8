import {
  AREAS,
  MIN_INTERVAL_DAYS,
  NUMBING_WARN_MINUTES,
  effectiveDepthRange,
} from '../../contract/domain.js';
import type { Warning } from '../../contract/result.js';
import type { Session, Settings } from '../../contract/schemas.js';
import type { CourseRow } from '../../db/courses.js';

/**
 * Clinical-range checks. Protocols are not standardised, so these never block a save: they are
 * shown after it, for the practitioner to confirm or correct.
 */
export function sessionWarnings(
  session: Session,
  course: CourseRow,
  settings: Settings,
  previousAt: string | null,
): Warning[] {
  const warnings: Warning[] = [];
  session.zones.forEach((z, i) => {
    const range = effectiveDepthRange(
      z.zone,
      course.indication,
      settings.depthRanges,
      settings.indicationDepthRanges,
    );
    if (z.depthMm < range.min || z.depthMm > range.max) {
      warnings.push({
        code: 'depth_out_of_range',
        field: `zones.${i}.depthMm`,
        message: `${AREAS[z.zone]}: ${z.depthMm} mm is outside the usual ${range.min}–${range.max} mm for this area.`,
      });
    }
  });
  if (session.numbingMinutes !== null && session.numbingMinutes > NUMBING_WARN_MINUTES) {
    warnings.push({
      code: 'numbing_too_long',
      field: 'numbingMinutes',
      message: `Numbing cream was on for ${session.numbingMinutes} minutes; more than ${NUMBING_WARN_MINUTES} raises the risk of anaesthetic toxicity.`,
    });
  }
  if (previousAt !== null) {
    const days = (Date.parse(session.performedAt) - Date.parse(previousAt)) / 86_400_000;
    if (days < MIN_INTERVAL_DAYS) {
      warnings.push({
        code: 'interval_too_short',
        field: 'performedAt',
        message: `Only ${Math.floor(days)} days since the previous session of this course; at least ${MIN_INTERVAL_DAYS} days is usual.`,
      });
    }
  }
  if (session.deletedAt === null && session.number > course.plannedSessions) {
    warnings.push({
      code: 'beyond_plan',
      field: 'performedAt',
      message: `This is session ${session.number} of a course planned for ${course.plannedSessions}.`,
    });
  }
  return warnings;
}
