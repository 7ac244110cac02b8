import type { Db } from './connection.js';
import { stmt } from './statements.js';

/** One live session of a course as the progress charts need it; JSON columns still as text. */
interface ProgressRow {
  id: string;
  number: number;
  performedAt: string;
  day: string;
  practitionerName: string;
  intervalDays: number | null;
  numbingAgent: string;
  pain: number | null;
  erythema: number | null;
  edema: number | null;
  bleeding: number | null;
  gaisPractitioner: number | null;
  gaisClient: number | null;
  satisfaction: number | null;
  lipFullnessUpper: number | null;
  lipFullnessLower: number | null;
  goodmanBaron: number | null;
  zones: string;
  events: string;
}

/**
 * The live sessions of a course in order, numbered as everywhere else (by time, then id), with the
 * whole days since the previous session on the clinic's clock, the depth (and passes) per zone, and the adverse
 * events recorded on each session.
 */
export function progressOfCourse(db: Db, courseId: string): ProgressRow[] {
  return stmt(
    db,
    `WITH live AS (
       SELECT s.*, date(s.performed_at, 'localtime') AS day,
         row_number() OVER (ORDER BY s.performed_at, s.id) AS number
       FROM sessions s WHERE s.course_id = ? AND s.deleted_at IS NULL
     )
     SELECT l.id, l.number, l.performed_at AS performedAt, l.day, p.name AS practitionerName,
       CAST(round(julianday(l.day) - julianday(lag(l.day) OVER (ORDER BY l.number))) AS INTEGER)
         AS intervalDays,
       l.numbing_agent AS numbingAgent, l.pain, l.erythema, l.edema, l.bleeding,
       l.gais_practitioner AS gaisPractitioner, l.gais_client AS gaisClient, l.satisfaction,
       l.lip_fullness_upper AS lipFullnessUpper, l.lip_fullness_lower AS lipFullnessLower,
       l.goodman_baron AS goodmanBaron,
       (SELECT json_group_array(CASE WHEN z.passes IS NULL
                  THEN json_object('zone', z.zone, 'depthMm', z.depth_mm)
                  ELSE json_object('zone', z.zone, 'depthMm', z.depth_mm, 'passes', z.passes) END)
          FROM (SELECT zone, depth_mm, passes FROM session_zones WHERE session_id = l.id ORDER BY position) z)
         AS zones,
       (SELECT json_group_array(json_object('id', a.id, 'kind', a.kind, 'severity', a.severity,
                                            'onsetOn', a.onset_on))
          FROM (SELECT * FROM adverse_events WHERE session_id = l.id AND deleted_at IS NULL
                ORDER BY onset_on, id) a)
         AS events
     FROM live l JOIN practitioners p ON p.id = l.practitioner_id
     ORDER BY l.number`,
  ).all(courseId) as ProgressRow[];
}
