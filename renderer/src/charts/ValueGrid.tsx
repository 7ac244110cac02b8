import type { Frame } from '../../../charts/scale.js';

/** A chart's value gridlines with their labels at the left, and the baseline they stand on. */
export function ValueGrid({
  ticks,
  y,
  frame,
  label,
}: {
  ticks: readonly number[];
  y: (value: number) => number;
  frame: Frame;
  label: (value: number) => string | number;
}) {
  const bottom = frame.height - frame.bottom;
  return (
    <>
      {ticks.map((t) => (
        <g key={t} className="chart-grid">
          <line x1={frame.left} x2={frame.width - frame.right} y1={y(t)} y2={y(t)} />
          <text x={frame.left - 10} y={y(t)} dy="0.35em" textAnchor="end" className="tick-label">
            {label(t)}
          </text>
        </g>
      ))}
      <line className="chart-axis" x1={frame.left} x2={frame.width - frame.right} y1={bottom} y2={bottom} />
    </>
  );
}
