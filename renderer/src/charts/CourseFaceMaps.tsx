import { ZONES, effectiveDepthRange, type Zone } from '../../../contract/domain.js';
import type { Course, Session, Settings } from '../../../contract/schemas.js';
import { FACE_ZONE_KEYS, zoneMarks } from '../../../charts/faceMap.js';
import { fmt, formatInstant } from '../format.js';
import { DepthLegend, FaceDiagram } from './FaceDiagram.js';

/** A zone's depth in words, with its passes when they were recorded: "Left cheek 1 mm, 4 passes". */
function zoneText(z: Session['zones'][number]): string {
  return `${ZONES[z.zone]} ${fmt().mm(z.depthMm)}${z.passes === undefined ? '' : `, ${fmt().passes(z.passes)}`}`;
}

/** What one session's map says, in words: the zones with their depths and passes, outside ones named. */
function depthsText(s: Pick<Session, 'zones'>, outside: (zone: Zone) => boolean): string {
  if (s.zones.length === 0) return 'No depths recorded.';
  return s.zones
    .map((z) => `${zoneText(z)}${outside(z.zone) ? ' (outside the usual range)' : ''}`)
    .join(', ');
}

/**
 * The course's sessions as small face maps side by side, in session order and on one depth scale,
 * so a change of depth across the course shows at a glance. Areas off the face are written under
 * their session's map.
 */
export function CourseFaceMaps({
  course,
  sessions,
  settings,
}: {
  course: Course;
  sessions: readonly Session[];
  settings: Settings;
}) {
  const usual = (zone: Zone) =>
    effectiveDepthRange(zone, course.indication, settings.depthRanges, settings.indicationDepthRanges);
  const ordered = [...sessions].filter((s) => !s.deletedAt).sort((a, b) => a.number - b.number);
  if (ordered.length === 0) return null;
  return (
    <div className="fm-multiples">
      <ol className="fm-grid">
        {ordered.map((s) => {
          const marks = zoneMarks(s.zones, Object.fromEntries(s.zones.map((z) => [z.zone, usual(z.zone)])));
          const body = s.zones.filter((z) => !FACE_ZONE_KEYS.has(z.zone));
          const words = depthsText(s, (zone) => marks.get(zone)?.outside != null);
          return (
            <li key={s.id}>
              <figure className="fm-small" aria-label={`Session ${s.number}: ${words}`}>
                <FaceDiagram marks={marks} className="is-small" textSize={22} />
                <figcaption>
                  <strong>Session {s.number}</strong>{' '}
                  <time dateTime={s.performedAt}>{formatInstant(s.performedAt)}</time>
                  {body.length > 0 && <span className="fm-small-body">{body.map(zoneText).join(', ')}</span>}
                </figcaption>
              </figure>
            </li>
          );
        })}
      </ol>
      <DepthLegend />
    </div>
  );
}
