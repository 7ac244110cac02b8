import { useId, useState } from 'react';
import { FRAME, bandWidth, bandX, niceCeil, ticks, yScale, type Frame } from '../../../charts/scale.js';
import { DataTable } from '../components/DataTable.js';
import { ChartHead } from './ChartHead.js';
import { ValueGrid } from './ValueGrid.js';

interface Bar {
  key: string;
  /** Axis label under the bar. */
  label: string;
  /** Full words for the table and screen readers. */
  longLabel: string;
  value: number;
}

/** Ticks for a count axis: 4–6 steps of 1, 2, 5, 10, 20, 50… */
export function countTicks(max: number): { top: number; step: number; ticks: number[] } {
  const m = Math.max(max, 1);
  let step = 1;
  for (let scale = 1; m / step > 5;) {
    const next = [1, 2, 5].map((s) => s * scale).find((s) => m / s <= 5);
    if (next === undefined) scale *= 10;
    else step = next;
  }
  const top = niceCeil(m, step);
  return { top, step, ticks: ticks(0, top, step) };
}

const pct = (part: number, whole: number) => `${(part / whole) * 100}%`;

/**
 * Vertical bars with a "Show as table" toggle; each bar (and table row) opens what lies behind it.
 * Labels are thinned out when there are many bars, every bar keeps its own title.
 */
export function BarChart({
  title,
  note,
  bars,
  valueLabel,
  onOpen,
  openLabel,
  frame = FRAME,
}: {
  title: string;
  note: string;
  bars: readonly Bar[];
  valueLabel: string;
  onOpen: (bar: Bar) => void;
  openLabel: (bar: Bar) => string;
  frame?: Frame;
}) {
  const [asTable, setAsTable] = useState(false);
  /** The bar under the pointer or keyboard focus, drawn lighter. */
  const [active, setActive] = useState<string | null>(null);
  const uid = useId();
  const n = bars.length;
  const band = bandWidth(n, frame);
  const { top, ticks: tickValues } = countTicks(Math.max(0, ...bars.map((b) => b.value)));
  const y = yScale([0, top], frame);
  const bottom = frame.height - frame.bottom;
  const labelEvery = Math.max(1, Math.ceil(n / 13));
  const total = bars.reduce((s, b) => s + b.value, 0);

  return (
    <figure className="chart bar-chart" aria-labelledby={`${uid}-t`}>
      <ChartHead
        titleId={`${uid}-t`}
        title={title}
        note={note}
        asTable={asTable}
        onToggle={() => setAsTable((t) => !t)}
      />
      {asTable ? (
        <DataTable className="chart-table" caption={title} columns={['Week', valueLabel]} buttons="Clients">
          {bars.map((b) => (
            <tr key={b.key}>
              <th scope="row">{b.longLabel}</th>
              <td>{b.value}</td>
              <td>
                {b.value > 0 && (
                  <button type="button" className="link-button" onClick={() => onOpen(b)}>
                    {openLabel(b)}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        // The picture is one image; the bars' buttons lie over it, outside the SVG, since an image
        // cannot hold controls (a screen reader would skip them).
        <div className="bar-stage">
          <svg
            className="chart-svg"
            viewBox={`0 0 ${frame.width} ${frame.height}`}
            role="img"
            aria-labelledby={`${uid}-t ${uid}-d`}
          >
            <desc
              id={`${uid}-d`}
            >{`${title}: ${total} in ${n} weeks, at most ${Math.max(0, ...bars.map((b) => b.value))} in one week.`}</desc>
            <ValueGrid ticks={tickValues} y={y} frame={frame} label={(t) => t} />
            {bars.map((b, i) => {
              const w = Math.max(2, band * 0.7);
              return (
                <g key={b.key} className={b.key === active ? 'is-active' : undefined}>
                  {b.value > 0 && (
                    <>
                      <rect
                        className="bar"
                        x={bandX(i, n, frame) - w / 2}
                        y={y(b.value)}
                        width={w}
                        height={bottom - y(b.value)}
                      />
                      {band >= 28 && (
                        <text
                          className="bar-value"
                          x={bandX(i, n, frame)}
                          y={y(b.value) - 6}
                          textAnchor="middle"
                        >
                          {b.value}
                        </text>
                      )}
                    </>
                  )}
                  {i % labelEvery === 0 && (
                    <text x={bandX(i, n, frame)} y={bottom + 24} textAnchor="middle" className="x-date">
                      {b.label}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
          {bars.map((b, i) =>
            b.value > 0 ? (
              <button
                key={b.key}
                type="button"
                className="bar-link"
                // The whole column above the axis is the target, not just the (maybe tiny) bar.
                style={{
                  left: pct(bandX(i, n, frame) - band / 2, frame.width),
                  width: pct(band, frame.width),
                  top: pct(frame.top, frame.height),
                  height: pct(bottom - frame.top, frame.height),
                }}
                aria-label={`${b.longLabel}: ${b.value}. ${openLabel(b)}`}
                title={`${b.longLabel}: ${b.value}`}
                onClick={() => onOpen(b)}
                onFocus={() => setActive(b.key)}
                onBlur={() => setActive(null)}
                onPointerEnter={() => setActive(b.key)}
                onPointerLeave={() => setActive(null)}
              />
            ) : null,
          )}
        </div>
      )}
    </figure>
  );
}
