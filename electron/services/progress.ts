import type { z } from 'zod';
import {
  ZONE_KEYS,
  effectiveDepthRange,
  type DepthRange,
  type Indication,
  type Zone,
} from '../../contract/domain.js';
import { CourseProgress, LATE_AFTER_DAYS, isLate, type ProgressSession } from '../../contract/progress.js';
import { ByCourse, type Settings } from '../../contract/schemas.js';
import { progressOfCourse } from '../../db/progress.js';
import type { ServiceContext } from './context.js';
import { courseStore } from './courses.js';
import { parseInput } from './errors.js';
import { requireLive } from './records.js';
import { loadSettings } from './settings.js';

function usualDepthOf(settings: Settings, indication: Indication): Record<Zone, DepthRange> {
  return Object.fromEntries(
    ZONE_KEYS.map((zone) => [
      zone,
      effectiveDepthRange(zone, indication, settings.depthRanges, settings.indicationDepthRanges),
    ]),
  ) as Record<Zone, DepthRange>;
}

/** Per-session figures of one course for the progress charts, computed by SQL. */
export function progressService(ctx: ServiceContext) {
  return {
    get(input: z.input<typeof ByCourse>): CourseProgress {
      const { courseId } = parseInput(ByCourse, input);
      const course = requireLive(ctx, courseStore, courseId);
      const sessions = progressOfCourse(ctx.db, courseId).map(({ zones, events, ...r }): ProgressSession => ({
        ...r,
        numbingAgent: r.numbingAgent as ProgressSession['numbingAgent'],
        late: isLate(r.intervalDays, course.plannedIntervalDays),
        zones: JSON.parse(zones) as ProgressSession['zones'],
        adverseEvents: JSON.parse(events) as ProgressSession['adverseEvents'],
      }));
      return {
        courseId,
        area: course.area,
        indication: course.indication,
        plannedSessions: course.plannedSessions,
        plannedIntervalDays: course.plannedIntervalDays,
        lateAfterDays: LATE_AFTER_DAYS,
        usualDepth: usualDepthOf(loadSettings(ctx), course.indication),
        sessions,
      };
    },
  };
}
