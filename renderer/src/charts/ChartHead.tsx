/** A chart's title and note, with the button that shows its numbers as a table instead (and back). */
export function ChartHead({
  titleId,
  title,
  note,
  asTable,
  onToggle,
}: {
  titleId: string;
  title: string;
  note: string;
  asTable: boolean;
  onToggle: () => void;
}) {
  return (
    <div className="chart-head">
      <div>
        <h3 id={titleId} className="chart-title">
          {title}
        </h3>
        <p className="chart-note">{note}</p>
      </div>
      <button type="button" className="button small chart-toggle" aria-pressed={asTable} onClick={onToggle}>
        {asTable ? 'Show as chart' : 'Show as table'}
      </button>
    </div>
  );
}
