import { useId, useState } from 'react';
import type { ProgressSession } from '../../../contract/progress.js';
import { eventsText, intervalText, intervalTick, spansYears } from '../../../charts/labels.js';
import { describeChart, hasOutside, type ChartSpec } from '../../../charts/progressCharts.js';
import { shortRangeText } from '../../../contract/warnings.js';
import { fmt } from '../format.js';
import {
  FRAME,
  bandWidth,
  bandX,
  dodge,
  linePath,
  markerPath,
  yScale,
  type Frame,
  type SeriesStyle,
} from '../../../charts/scale.js';
import { DataTable } from '../components/DataTable.js';
import { ChartHead } from './ChartHead.js';
import { ValueGrid } from './ValueGrid.js';

export { eventsText, intervalText } from '../../../charts/labels.js';

/** A small line-and-marker sample for legends. */
function LegendSwatch({ style }: { style: SeriesStyle }) {
  return (
    <svg className="legend-swatch" viewBox="0 0 36 16" width="36" height="16" aria-hidden="true">
      <line x1="1" y1="8" x2="35" y2="8" stroke={style.color} strokeWidth="3" strokeDasharray={style.dash} />
      <path d={markerPath(style.marker, 18, 8, 5)} fill={style.color} stroke="#fff" strokeWidth="1" />
    </svg>
  );
}

/** The legend's sample of the out-of-range mark: a red ring round a marker (two when far outside). */
function OutsideSwatch({ far = false }: { far?: boolean }) {
  return (
    <svg className="legend-swatch" viewBox="0 0 36 24" width="36" height="24" aria-hidden="true">
      <circle cx="18" cy="12" r="4.5" fill="#56616d" />
      <circle cx="18" cy="12" r="7.5" className="outside-ring" />
      {far && <circle cx="18" cy="12" r="10.5" className="outside-ring is-far" />}
    </svg>
  );
}

/**
 * One progress chart: sessions across, in equal bands (late ones shaded and labelled, adverse
 * events flagged above), one line per series with gaps where nothing was recorded. "Show as table"
 * swaps in the same numbers as a table.
 */
export function LineChart({
  spec,
  sessions,
  plannedIntervalDays,
  frame = FRAME,
}: {
  spec: ChartSpec;
  sessions: readonly ProgressSession[];
  plannedIntervalDays: number;
  frame?: Frame;
}) {
  const [asTable, setAsTable] = useState(false);
  const uid = useId();
  const titleId = `${uid}-title`;
  const descId = `${uid}-desc`;
  const n = sessions.length;
  const band = bandWidth(n, frame);
  const x = (i: number) => bandX(i, n, frame);
  const y = yScale(spec.domain, frame);
  const withYear = spansYears(sessions);
  const bottom = frame.height - frame.bottom;
  const k = spec.series.length;

  return (
    <figure className="chart" aria-labelledby={titleId}>
      <ChartHead
        titleId={titleId}
        title={spec.title}
        note={spec.note}
        asTable={asTable}
        onToggle={() => setAsTable((t) => !t)}
      />
      {(spec.series.length > 1 || hasOutside(spec)) && (
        <ul className="chart-legend" aria-label={`${spec.title}: legend`}>
          {spec.series.length > 1 &&
            spec.series.map((s) => (
              <li key={s.key}>
                <LegendSwatch style={s.style} />
                {s.label}
                {s.values.every((v) => v === null) && <span className="muted"> (not recorded)</span>}
              </li>
            ))}
          {hasOutside(spec) && (
            <li className="legend-outside">
              <OutsideSwatch />
              <OutsideSwatch far />
              Outside the usual range for the area (two rings: far outside, more than twice the nearer bound)
            </li>
          )}
        </ul>
      )}
      {asTable ? (
        <ChartTable spec={spec} sessions={sessions} plannedIntervalDays={plannedIntervalDays} />
      ) : (
        <svg
          className="chart-svg"
          viewBox={`0 0 ${frame.width} ${frame.height}`}
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          preserveAspectRatio="xMidYMid meet"
        >
          <desc id={descId}>{describeChart(spec, n)}</desc>
          <defs>
            <pattern
              id={`${uid}-hatch`}
              width="8"
              height="8"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="8" height="8" className="late-fill" />
              <line x1="0" y1="0" x2="0" y2="8" className="late-hatch" />
            </pattern>
          </defs>
          {sessions.map((s, i) =>
            s.late ? (
              <rect
                key={`late-${s.id}`}
                x={x(i) - band / 2}
                y={frame.top}
                width={band}
                height={bottom - frame.top}
                fill={`url(#${uid}-hatch)`}
                className="late-band"
              />
            ) : null,
          )}
          <ValueGrid ticks={spec.ticks} y={y} frame={frame} label={spec.format} />
          {spec.unit && (
            <text x={frame.left - 10} y={frame.top - 14} textAnchor="end" className="unit-label">
              {spec.unit}
            </text>
          )}
          {n === 0 && (
            <text x={frame.left + band / 2} y={frame.top + 40} textAnchor="middle" className="empty-label">
              No sessions yet
            </text>
          )}
          {spec.series.map((se, si) => {
            const dx = dodge(si, k, band);
            const px = (i: number) => x(i) + dx;
            return (
              <g key={se.key} className="chart-series" data-series={se.key}>
                <path
                  d={linePath(se.values, px, y)}
                  fill="none"
                  stroke={se.style.color}
                  strokeWidth="3"
                  strokeDasharray={se.style.dash}
                  strokeLinejoin="round"
                  strokeLinecap="round"
                />
                {se.values.map((v, i) => {
                  if (v === null) return null;
                  const outside = se.outside?.[i] ?? null;
                  const text = `${se.label}, session ${i + 1}: ${spec.format(v)}${spec.unit && spec.unit !== '' ? ` ${spec.unit}` : ''}${outside ? ` — ${shortRangeText(outside)}` : ''}`;
                  return (
                    <g
                      key={i}
                      className={outside ? `chart-point is-outside is-${outside.grade}` : 'chart-point'}
                    >
                      {outside && <circle cx={px(i)} cy={y(v)} r={11} className="outside-ring" />}
                      {outside?.grade === 'far' && (
                        <circle cx={px(i)} cy={y(v)} r={15} className="outside-ring is-far" />
                      )}
                      <path
                        d={markerPath(se.style.marker, px(i), y(v), 6.5)}
                        fill={se.style.color}
                        stroke="#fff"
                        strokeWidth="1.5"
                      >
                        <title>{text}</title>
                      </path>
                    </g>
                  );
                })}
              </g>
            );
          })}
          {sessions.map((s, i) => (
            <g key={`x-${s.id}`} className={s.late ? 'x-label late' : 'x-label'}>
              <line x1={x(i)} x2={x(i)} y1={bottom} y2={bottom + 6} className="chart-axis" />
              <text x={x(i)} y={bottom + 24} textAnchor="middle" className="x-number">
                #{s.number}
              </text>
              <text x={x(i)} y={bottom + 44} textAnchor="middle" className="x-date">
                {fmt().shortDate(s.day, withYear)}
              </text>
              <text x={x(i)} y={bottom + 64} textAnchor="middle" className="x-interval">
                {intervalTick(s)}
              </text>
            </g>
          ))}
          {sessions.map((s, i) =>
            s.adverseEvents.length > 0 ? (
              <g key={`ae-${s.id}`} className="ae-marker">
                <title>{`Session ${s.number}: adverse ${s.adverseEvents.length === 1 ? 'event' : 'events'} — ${eventsText(s)}`}</title>
                <path d={markerPath('triangle', x(i), frame.top - 16, 11)} />
                <text x={x(i)} y={frame.top - 16} dy="0.42em" textAnchor="middle">
                  !
                </text>
              </g>
            ) : null,
          )}
        </svg>
      )}
    </figure>
  );
}

/** The chart's numbers, one row per session; a dash where nothing was recorded. */
function ChartTable({
  spec,
  sessions,
  plannedIntervalDays,
}: {
  spec: ChartSpec;
  sessions: readonly ProgressSession[];
  plannedIntervalDays: number;
}) {
  return (
    <DataTable
      className="chart-table"
      caption={`${spec.title} by session`}
      columns={[
        'Session',
        'Date',
        `Interval (plan ${plannedIntervalDays} d)`,
        ...spec.series.map((s) => `${s.label}${spec.unit === 'mm' ? ' (mm)' : ''}`),
        'Adverse events',
      ]}
    >
      {sessions.length === 0 && (
        <tr>
          <td colSpan={spec.series.length + 4} className="muted">
            No sessions yet.
          </td>
        </tr>
      )}
      {sessions.map((s, i) => (
        <tr key={s.id} className={s.late ? 'late-row' : undefined}>
          <th scope="row">{s.number}</th>
          <td>{fmt().date(s.day)}</td>
          <td>{intervalText(s, plannedIntervalDays)}</td>
          {spec.series.map((se) => {
            const v = se.values[i] ?? null;
            const outside = se.outside?.[i] ?? null;
            return (
              // The mark is drawn from data-range (CSS): the cell's own text stays the number.
              <td
                key={se.key}
                className={outside ? `is-outside is-${outside.grade}` : undefined}
                data-range={outside ? shortRangeText(outside) : undefined}
              >
                {v === null ? (
                  <span className="muted" aria-label="not recorded">
                    —
                  </span>
                ) : (
                  spec.format(v)
                )}
              </td>
            );
          })}
          <td>{s.adverseEvents.length ? eventsText(s) : <span className="muted">None</span>}</td>
        </tr>
      ))}
    </DataTable>
  );
}
