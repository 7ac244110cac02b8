import { AREAS } from '../../../../contract/domain.js';
import type { OutcomeRow, RateRow } from '../../../../contract/progress.js';
import { DataTable } from '../../components/DataTable.js';

export function FigureButton({
  value,
  label,
  sub,
  danger,
  onClick,
}: {
  value: number;
  label: string;
  sub: string;
  danger?: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" className={danger ? 'figure-button danger' : 'figure-button'} onClick={onClick}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
      <span className="muted">{sub}</span>
      <span className="visually-hidden">: show the clients</span>
    </button>
  );
}

function RateBar({ value, max, down }: { value: number; max: number; down?: boolean }) {
  const w = max > 0 ? Math.max(0, Math.min(1, value / max)) * 100 : 0;
  return (
    <svg className="rate-bar" viewBox="0 0 100 18" preserveAspectRatio="none" aria-hidden="true">
      <rect className="bg" x="0" y="0" width="100" height="18" />
      <rect className={down ? 'fg down' : 'fg'} x="0" y="0" width={w} height="18" />
    </svg>
  );
}

/** A table row's way to the clients behind its figures; `label` names the row for a screen reader. */
function ShowClients({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="link-button" aria-label={label} onClick={onClick}>
      Show clients
    </button>
  );
}

export function RateTable({
  title,
  keyLabel,
  rows,
  name,
  onOpen,
}: {
  title: string;
  keyLabel: string;
  rows: RateRow[];
  name: (key: string) => string;
  onOpen: (r: RateRow) => void;
}) {
  const max = Math.max(0, ...rows.map((r) => r.per100 ?? 0));
  const id = `rate-${keyLabel.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="chart-note">Events per 100 sessions in the period, with the counts behind each rate.</p>
      {rows.length === 0 ? (
        <p className="muted">No sessions in the period.</p>
      ) : (
        <DataTable columns={[keyLabel, 'Sessions', 'Adverse events', 'Per 100 sessions']} buttons="Clients">
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{name(r.key)}</th>
              <td>{r.sessions}</td>
              <td>{r.events}</td>
              <td>
                <strong>{r.per100 ?? '—'}</strong>
                <RateBar value={r.per100 ?? 0} max={max} />
              </td>
              <td>
                {r.events > 0 && (
                  <ShowClients
                    label={`Show clients with adverse events: ${name(r.key)}`}
                    onClick={() => onOpen(r)}
                  />
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function OutcomeTable({
  title,
  note,
  rows,
  betterIsUp,
  onOpen,
}: {
  title: string;
  note: string;
  rows: OutcomeRow[];
  betterIsUp: boolean;
  onOpen: (r: OutcomeRow) => void;
}) {
  const max = Math.max(0, ...rows.map((r) => Math.abs(r.meanChange)));
  const id = `outcome-${betterIsUp ? 'sat' : 'gais'}`;
  const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="chart-note">{note} Courses scored at only one session are left out.</p>
      {rows.length === 0 ? (
        <p className="muted">No course has this score at two or more sessions in the period.</p>
      ) : (
        <DataTable columns={['Area', 'Courses', 'Mean first', 'Mean last', 'Mean change']} buttons="Clients">
          {rows.map((r) => {
            const worse = betterIsUp ? r.meanChange < 0 : r.meanChange > 0;
            return (
              <tr key={r.area}>
                <th scope="row">{AREAS[r.area]}</th>
                <td>{r.courses}</td>
                <td>{r.meanFirst}</td>
                <td>{r.meanLast}</td>
                <td>
                  <strong>{signed(r.meanChange)}</strong>
                  {worse && <span className="muted"> (worse)</span>}
                  <RateBar value={Math.abs(r.meanChange)} max={max} down={worse} />
                </td>
                <td>
                  <ShowClients label={`Show clients: ${title}, ${AREAS[r.area]}`} onClick={() => onOpen(r)} />
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
