import type { ReactNode } from 'react';
import type { Zone } from '../../../contract/domain.js';
import {
  DEPTH_BANDS,
  FACE_FEATURES,
  FACE_HEIGHT,
  FACE_WIDTH,
  FACE_ZONES,
  HEAD_OUTLINE,
  OUTLINE_INK,
  OUTSIDE_INK,
  PROFILE_FEATURES,
  PROFILE_OUTLINE,
  PROFILE_WIDTH,
  PROFILE_ZONES,
  markFill,
  type ZoneMark,
} from '../../../charts/faceMap.js';
import { fmt } from '../format.js';
import '../styles/faceMap.css';

interface Props {
  marks: ReadonlyMap<Zone, ZoneMark>;
  /** The zone open in the stepper, outlined. */
  selected?: Zone | null;
  /** A tap on a zone's skin (pointer only: keyboards and screen readers use the zone buttons). */
  onTap?: (zone: Zone) => void;
  /** Depths written on the zones (the small multiples leave them to their table). */
  showDepths?: boolean;
  /** What lies over the drawing, in the same box (the zone buttons of the session form). */
  children?: ReactNode;
  className?: string;
  /** Depth text size in drawing units: larger where the face is drawn small. */
  textSize?: number;
}

/**
 * The front view of the face with each zone filled by its depth (charts/faceMap.ts draws the same
 * face in the PDF). The drawing itself is hidden from screen readers: whoever uses one reads the
 * zone buttons laid over it, or the description its container gives.
 */
export function FaceDiagram({
  marks,
  selected = null,
  onTap,
  showDepths = true,
  children,
  className,
  textSize = 12,
}: Props) {
  return (
    <div className={`fm-face ${className ?? ''}`}>
      <svg viewBox={`0 0 ${FACE_WIDTH} ${FACE_HEIGHT}`} aria-hidden="true" focusable="false">
        <path d={HEAD_OUTLINE} className="fm-skin" />
        {FACE_ZONES.map((s) => {
          const mark = marks.get(s.zone);
          return (
            <path
              key={s.zone}
              d={s.d}
              data-zone={s.zone}
              fill={markFill(mark)}
              className={shapeClass(mark, selected === s.zone, onTap !== undefined)}
              onClick={onTap ? () => onTap(s.zone) : undefined}
            />
          );
        })}
        {FACE_FEATURES.map((d, i) => (
          <path key={i} d={d} className="fm-feature" />
        ))}
        {showDepths &&
          FACE_ZONES.map((shape) => (
            <DepthPill key={shape.zone} mark={marks.get(shape.zone)} at={shape.label} textSize={textSize} />
          ))}
        <text x={14} y={30} className="fm-side">
          R
        </text>
        <text x={FACE_WIDTH - 14} y={30} className="fm-side" textAnchor="end">
          L
        </text>
      </svg>
      {children}
    </div>
  );
}

function shapeClass(mark: ZoneMark | undefined, selected: boolean, tappable: boolean): string {
  return [
    'fm-shape',
    mark ? `is-${mark.state}` : 'is-untreated',
    mark?.outside != null && 'is-outside',
    selected && 'is-selected',
    tappable && 'is-tappable',
  ]
    .filter(Boolean)
    .join(' ');
}

/** A zone's depth written on it, in a white pill (red, with "!", outside the usual range). */
function DepthPill({
  mark,
  at,
  textSize,
}: {
  mark: ZoneMark | undefined;
  at: { x: number; y: number };
  textSize: number;
}) {
  if (mark?.depthMm == null) return null;
  const text = `${mark.outside ? '! ' : ''}${fmt().number(mark.depthMm)}`;
  const w = textSize * (0.9 + text.length * 0.6);
  const h = textSize * 1.5;
  return (
    <g className={mark.outside ? 'fm-pill is-outside' : 'fm-pill'}>
      <rect x={at.x - w / 2} y={at.y - h / 2} width={w} height={h} rx={h / 2} />
      <text x={at.x} y={at.y + textSize * 0.36} textAnchor="middle" style={{ fontSize: textSize }}>
        {text}
      </text>
    </g>
  );
}

/**
 * One side of the face in profile, for the jawline and the neck: the client's right side faces the
 * viewer's right, the left side is its mirror. Pointer only, like the front view's shapes.
 */
export function ProfileDiagram({
  side,
  marks,
  selected = null,
  onTap,
}: {
  side: 'right' | 'left';
  marks: ReadonlyMap<Zone, ZoneMark>;
  selected?: Zone | null;
  onTap?: (zone: Zone) => void;
}) {
  const flip = side === 'left';
  const zoneOf = (zone: Zone): Zone => (flip && zone === 'jawline_right' ? 'jawline_left' : zone);
  return (
    <figure className="fm-profile" aria-hidden="true">
      <svg viewBox={`0 0 ${PROFILE_WIDTH} ${FACE_HEIGHT}`} aria-hidden="true" focusable="false">
        <g transform={flip ? `translate(${PROFILE_WIDTH} 0) scale(-1 1)` : undefined}>
          <path d={PROFILE_OUTLINE} className="fm-skin" />
          {PROFILE_ZONES.map((shape) => {
            const zone = zoneOf(shape.zone);
            const mark = marks.get(zone);
            return (
              <path
                key={zone}
                d={shape.d}
                data-zone={zone}
                fill={markFill(mark)}
                className={shapeClass(mark, selected === zone, onTap !== undefined)}
                onClick={onTap ? () => onTap(zone) : undefined}
              />
            );
          })}
          {PROFILE_FEATURES.map((d, i) => (
            <path key={i} d={d} className="fm-feature" />
          ))}
        </g>
        {PROFILE_ZONES.map((shape) => (
          <DepthPill
            key={shape.zone}
            mark={marks.get(zoneOf(shape.zone))}
            at={{ x: flip ? PROFILE_WIDTH - shape.label.x : shape.label.x, y: shape.label.y }}
            textSize={14}
          />
        ))}
      </svg>
      <figcaption>{side === 'right' ? 'Right side' : 'Left side'}</figcaption>
    </figure>
  );
}

/** The colours of the depth bands, and the marks for a zone outside its usual range or without a depth. */
export function DepthLegend({ pending = false }: { pending?: boolean }) {
  return (
    <ul className="fm-legend" aria-label="Depth colours (mm)">
      {DEPTH_BANDS.map((b) => (
        <li key={b.label}>
          <span className="fm-swatch" style={{ background: b.fill }} aria-hidden="true" />
          {b.label} mm
        </li>
      ))}
      <li>
        <span className="fm-swatch is-outside" style={{ borderColor: OUTSIDE_INK }} aria-hidden="true" />!
        outside the usual range
      </li>
      {pending && (
        <li>
          <span className="fm-swatch is-pending" style={{ borderColor: OUTLINE_INK }} aria-hidden="true" />
          chosen, no depth yet
        </li>
      )}
    </ul>
  );
}
