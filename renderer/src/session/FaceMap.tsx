import {
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from 'react';
import {
  MAX_SESSION_PASSES,
  MAX_ZONE_PASSES,
  ZONES,
  ZONE_KEYS,
  type DepthRange,
  type Zone,
} from '../../../contract/domain.js';
import {
  FACE_HEIGHT,
  FACE_READING_ORDER,
  FACE_WIDTH,
  FACE_ZONES,
  FACE_ZONE_KEYS,
  depthStep,
  markFill,
  stepDepth,
  zoneMarks,
} from '../../../charts/faceMap.js';
import { DepthLegend, FaceDiagram, ProfileDiagram } from '../charts/FaceDiagram.js';
import { fmt } from '../format.js';
import { parseDecimal } from './formConversion.js';
import { rangeHint } from './formRanges.js';
import type { ZoneRow } from './formValues.js';

/** The areas off the face: a list beside the drawing. */
const BODY_ZONES: readonly Zone[] = ZONE_KEYS.filter((z) => !FACE_ZONE_KEYS.has(z));
const LABEL_AT = new Map(FACE_ZONES.map((s) => [s.zone, s.label]));

interface Props {
  rows: readonly ZoneRow[];
  rangeFor: (zone: Zone) => DepthRange;
  onRows: (update: (rows: ZoneRow[]) => ZoneRow[]) => void;
  /** The session's own passes (for sessions recorded without passes per zone). */
  passes: string;
  onPasses: (passes: string) => void;
  /** The per-zone rows, shown beside the map under the stepper. */
  children: ReactNode;
}

function typedDepth(row: ZoneRow | undefined): number | null {
  const n = row ? parseDecimal(row.depth) : null;
  return typeof n === 'number' ? n : null;
}

function typedPasses(row: ZoneRow | undefined): number | null {
  const n = row ? parseDecimal(row.passes ?? '') : null;
  return typeof n === 'number' ? n : null;
}

/**
 * The face zone map of the session form: tap a zone (or press it from the keyboard) to record it
 * and open its depth stepper; the per-zone rows beside it edit the same values, so what is tapped
 * here is what is typed there. Each zone is a button named with its depth and passes ("Left cheek,
 * 1 mm, 3 passes") and pressed while the zone is part of the session. The stepper sets the zone's
 * depth and its passes, and the session's own passes for those who record them once per session.
 */
export function FaceMap({ rows, rangeFor, onRows, passes, onPasses, children }: Props) {
  const [selected, setSelected] = useState<Zone | null>(null);
  const stepperRef = useRef<HTMLButtonElement>(null);
  const rowOf = (zone: Zone) => rows.find((r) => r.zone === zone);

  const marks = zoneMarks(
    rows.map((r) => ({ zone: r.zone, depthMm: typedDepth(r) })),
    Object.fromEntries(rows.map((r) => [r.zone, rangeFor(r.zone)])),
  );

  const labelOf = (zone: Zone) => {
    const mark = marks.get(zone);
    if (!mark) return `${ZONES[zone]}, not treated`;
    const passes = typedPasses(rowOf(zone));
    const passesText = passes === null ? '' : `, ${fmt().passes(passes)}`;
    if (mark.depthMm === null) return `${ZONES[zone]}, no depth yet${passesText}`;
    return `${ZONES[zone]}, ${fmt().mm(mark.depthMm)}${mark.outside ? ', outside the usual range' : ''}${passesText}`;
  };

  const record = (zone: Zone) =>
    onRows((prev) => (prev.some((r) => r.zone === zone) ? prev : [...prev, { zone, depth: '' }]));

  const open = (zone: Zone, fromKeyboard: boolean) => {
    record(zone);
    setSelected(zone);
    // A keyboard lands on the stepper; a tap leaves focus where the finger was.
    if (fromKeyboard) window.setTimeout(() => stepperRef.current?.focus());
  };

  const step = (zone: Zone, direction: 1 | -1) => {
    setSelected(zone);
    onRows((prev) => {
      const row = prev.find((r) => r.zone === zone);
      const depth = fmt().number(stepDepth(zone, typedDepth(row), direction, rangeFor(zone)));
      return row ? prev.map((r) => (r.zone === zone ? { ...r, depth } : r)) : [...prev, { zone, depth }];
    });
  };

  const onZoneKey = (zone: Zone) => (e: KeyboardEvent<HTMLButtonElement>) => {
    const direction = { ArrowUp: 1, '+': 1, ArrowDown: -1, '-': -1 }[e.key] as 1 | -1 | undefined;
    if (!direction) return;
    e.preventDefault();
    step(zone, direction);
  };

  const zoneButton = (zone: Zone, className: string, style?: CSSProperties, text?: string) => {
    const mark = marks.get(zone);
    return (
      <button
        key={zone}
        type="button"
        className={[
          className,
          mark ? `is-${mark.state}` : 'is-untreated',
          mark?.outside && 'is-outside',
          selected === zone && 'is-selected',
        ]
          .filter(Boolean)
          .join(' ')}
        style={style}
        aria-pressed={mark !== undefined}
        aria-label={labelOf(zone)}
        title={labelOf(zone)}
        onClick={(e: MouseEvent) => open(zone, e.detail === 0)}
        onKeyDown={onZoneKey(zone)}
      >
        {text}
        {mark?.depthMm != null ? `${mark.outside ? '! ' : ''}${fmt().number(mark.depthMm)}` : '+'}
      </button>
    );
  };

  const current = selected ? rowOf(selected) : undefined;
  const currentDepth = typedDepth(current);
  const passCount = typedPasses(current);
  // From "not recorded", either button starts the count at 1; it stays within 1–MAX_ZONE_PASSES.
  const stepPasses = (zone: Zone, direction: 1 | -1) => {
    const next = passCount === null ? 1 : Math.round(passCount) + direction;
    const passes = String(Math.min(MAX_ZONE_PASSES, Math.max(1, next)));
    onRows((prev) => prev.map((r) => (r.zone === zone ? { ...r, passes } : r)));
  };
  const sessionPasses = typeof parseDecimal(passes) === 'number' ? (parseDecimal(passes) as number) : null;
  const setPasses = (direction: 1 | -1) => {
    const next = sessionPasses === null ? 1 : Math.round(sessionPasses) + direction;
    onPasses(String(Math.min(MAX_SESSION_PASSES, Math.max(0, next))));
  };

  return (
    <div className="fm sf-depth-layout">
      <div className="fm-map">
        <h3 id="fm-title">Face map</h3>
        <p className="fm-orient muted" id="fm-orient">
          As you face the client: their right side is on your left. Tap a zone to set its depth.
        </p>
        <div role="group" aria-labelledby="fm-title" aria-describedby="fm-orient">
          <div className="fm-views">
            <ProfileDiagram
              side="right"
              marks={marks}
              selected={selected}
              onTap={(zone) => open(zone, false)}
            />
            <FaceDiagram
              marks={marks}
              selected={selected}
              showDepths={false}
              onTap={(zone) => open(zone, false)}
            >
              {FACE_READING_ORDER.map((zone) => {
                const at = LABEL_AT.get(zone)!;
                return zoneButton(zone, 'fm-zone', {
                  left: `${(at.x / FACE_WIDTH) * 100}%`,
                  top: `${(at.y / FACE_HEIGHT) * 100}%`,
                });
              })}
            </FaceDiagram>
            <ProfileDiagram
              side="left"
              marks={marks}
              selected={selected}
              onTap={(zone) => open(zone, false)}
            />
          </div>
          <div className="fm-body" role="group" aria-label="Body areas">
            {BODY_ZONES.map((zone) => (
              <span key={zone} className="fm-body-item">
                <span
                  className="fm-swatch"
                  style={{ background: markFill(marks.get(zone)) }}
                  aria-hidden="true"
                />
                {zoneButton(zone, 'fm-body-zone', undefined, `${ZONES[zone]} `)}
              </span>
            ))}
          </div>
        </div>
        <DepthLegend pending />
      </div>
      <div className="fm-beside">
        {selected && current && (
          <div className="fm-stepper" role="group" aria-labelledby="fm-stepper-title">
            <h3 id="fm-stepper-title">{ZONES[selected]}</h3>
            <p className="muted">
              {rangeHint(rangeFor(selected), (n) => fmt().number(n))} · steps of{' '}
              {fmt().mm(depthStep(selected))}
            </p>
            <div className="fm-step fm-depth">
              <button type="button" className="button fm-step-button" onClick={() => step(selected, -1)}>
                <span aria-hidden="true">−</span>
                <span className="visually-hidden">Shallower by </span>
                {fmt().number(depthStep(selected))}
                <span className="visually-hidden"> mm</span>
              </button>
              <output className="fm-value" aria-live="polite" aria-label={`${ZONES[selected]} depth`}>
                {currentDepth === null ? 'no depth yet' : fmt().mm(currentDepth)}
              </output>
              <button
                ref={stepperRef}
                type="button"
                className="button fm-step-button"
                onClick={() => step(selected, 1)}
              >
                <span aria-hidden="true">+</span>
                <span className="visually-hidden">Deeper by </span>
                {fmt().number(depthStep(selected))}
                <span className="visually-hidden"> mm</span>
              </button>
            </div>
            <div className="fm-step fm-passes" role="group" aria-label={`${ZONES[selected]} passes`}>
              <span className="fm-passes-label" aria-hidden="true">
                {ZONES[selected]} passes
              </span>
              <button
                type="button"
                className="button fm-step-button"
                onClick={() => stepPasses(selected, -1)}
              >
                <span aria-hidden="true">−</span>
                <span className="visually-hidden">Fewer {ZONES[selected]} passes</span>
              </button>
              <output className="fm-value" aria-live="polite" aria-label={`${ZONES[selected]} passes`}>
                {passCount === null ? 'not recorded' : fmt().number(passCount)}
              </output>
              <button type="button" className="button fm-step-button" onClick={() => stepPasses(selected, 1)}>
                <span aria-hidden="true">+</span>
                <span className="visually-hidden">More {ZONES[selected]} passes</span>
              </button>
            </div>
            <div className="fm-step fm-passes">
              <span className="fm-passes-label">Passes (whole session)</span>
              <button type="button" className="button fm-step-button" onClick={() => setPasses(-1)}>
                <span aria-hidden="true">−</span>
                <span className="visually-hidden">Fewer passes</span>
              </button>
              <output className="fm-value" aria-live="polite" aria-label="Passes">
                {sessionPasses === null ? '—' : fmt().number(sessionPasses)}
              </output>
              <button type="button" className="button fm-step-button" onClick={() => setPasses(1)}>
                <span aria-hidden="true">+</span>
                <span className="visually-hidden">More passes</span>
              </button>
            </div>
            <div className="fm-stepper-actions">
              {rows.length > 1 && (
                <button
                  type="button"
                  className="button small"
                  onClick={() => {
                    onRows((prev) => prev.filter((r) => r.zone !== selected));
                    setSelected(null);
                  }}
                >
                  {ZONES[selected]} not treated
                </button>
              )}
              <button type="button" className="button small" onClick={() => setSelected(null)}>
                Close stepper
              </button>
            </div>
          </div>
        )}
        {children}
      </div>
    </div>
  );
}
