import type { ClientListItem } from '../../../contract/schemas.js';
import { ageInYears, clientName, fitzpatrickLabel, formatDate } from '../format.js';
import { WarningIcon } from './Icons.js';

interface Props {
  items: readonly ClientListItem[];
  busy: boolean;
  highlightId: string | null;
}

/** The clients table: one row per client, contraindications flagged so nobody misses them. */
export function ClientList({ items, busy, highlightId }: Props) {
  return (
    <div className="table-scroll">
      <table className="client-table" aria-label="Clients" aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Date of birth</th>
            <th scope="col">Skin type</th>
            <th scope="col">Contraindications</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} className={c.id === highlightId ? 'is-new' : undefined}>
              <th scope="row" className="client-name">
                {clientName(c)}
              </th>
              <td>
                {c.dateOfBirth ? <DateOfBirth value={c.dateOfBirth} /> : <span className="muted">—</span>}
              </td>
              <td>
                <span className={c.fitzpatrick === null ? 'muted' : undefined}>
                  {fitzpatrickLabel(c.fitzpatrick)}
                </span>
              </td>
              <td>
                {c.hasContraindications ? (
                  <span className="badge badge-warn">
                    <WarningIcon />
                    Contraindications
                  </span>
                ) : (
                  <span className="muted">None recorded</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DateOfBirth({ value }: { value: string }) {
  const age = ageInYears(value);
  return (
    <>
      <time dateTime={value}>{formatDate(value)}</time>
      {age !== null && <span className="muted"> ({age})</span>}
    </>
  );
}
