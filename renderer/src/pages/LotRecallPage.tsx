import { useEffect, useRef, useState, type FormEvent } from 'react';
import { AREAS, LOT_KINDS, type Area, type LotKind } from '../../../contract/domain.js';
import type { LotRecall } from '../../../contract/lots.js';
import type { ApiError } from '../../../contract/result.js';
import { call } from '../api.js';
import { Field } from '../components/Field.js';
import { LotInput } from '../components/LotInput.js';
import { useLotRecall } from '../data/lots.js';
import { apiError } from '../data/query.js';
import { ExportJobStatus } from '../exports/ExportJobStatus.js';
import { useExportJob } from '../exports/useExportJob.js';
import { formatDate, formatInstant, localDay, plural } from '../format.js';
import { href, navigate } from '../router.js';
import { DataTable } from '../components/DataTable.js';
import { CheckChoice } from '../components/CheckChoice.js';
import '../styles/exports.css';

const SESSION_LOTS = [
  ['cartridge', 'cartridgeLot', 'Cartridge'],
  ['numbing', 'numbingLot', 'Numbing'],
  ['glide', 'glideLot', 'Glide'],
] as const;

const usedAsText = (kinds: readonly LotKind[]) => kinds.map((k) => LOT_KINDS[k]).join(', ');

/**
 * Lot recall: a faulty lot of cartridges, numbing cream or glide is traced in seconds to every
 * client and session that used it, with the contact details to reach each client, and the list
 * goes out as CSV. The lot searched for lives in the address, so Back returns to the same list.
 */
export function LotRecallPage({ lot: routeLot }: { lot: string }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const [lot, setLot] = useState(routeLot);
  // Back and Forward change the lot in the address: the input follows.
  const [shownRoute, setShownRoute] = useState(routeLot);
  if (shownRoute !== routeLot) {
    setShownRoute(routeLot);
    setLot(routeLot);
  }
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [inputError, setInputError] = useState<ApiError | null>(null);
  /** The answer to the search in the address (and the deleted-records choice it was asked with). */
  const answer = useLotRecall(routeLot, includeDeleted);

  const searching = routeLot.trim() !== '';
  const busy = searching && answer.isPending;
  const recall = (searching && answer.data) || null;
  const error = inputError ?? (searching ? apiError(answer.error) : null);

  function find(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (lot.trim() === '') {
      setInputError({ code: 'invalid_input', message: 'Type the lot number to look for.', field: 'lot' });
      return;
    }
    setInputError(null);
    navigate({ name: 'lotRecall', lot: lot.trim() });
  }

  return (
    <article className="record-page recall-page" aria-labelledby="recall-title">
      <div className="page-head">
        <div>
          <h1 id="recall-title" ref={headingRef} tabIndex={-1}>
            Lot recall
          </h1>
          <p className="subtitle">
            Every client and session that used a lot of cartridges, numbing agent or glide / serum.
          </p>
        </div>
      </div>

      <section className="card" aria-label="Find a lot">
        <form role="search" className="recall-form" onSubmit={find} noValidate>
          <Field
            id="recall-lot"
            label="Lot number"
            hint="As printed on the box or tube; capitals do not matter."
            error={error?.field === 'lot' ? error.message : undefined}
          >
            {(a) => <LotInput kind={null} a11y={a} value={lot} onChange={setLot} />}
          </Field>
          <button type="submit" className="button primary" disabled={busy}>
            Find
          </button>
        </form>
        <CheckChoice checked={includeDeleted} onChange={setIncludeDeleted}>
          Include deleted records (marked as deleted)
        </CheckChoice>
        {error && !error.field && (
          <p className="notice notice-error" role="alert">
            {error.message}
          </p>
        )}
      </section>

      <div aria-live="polite">{recall && <RecallSummary recall={recall} />}</div>
      {recall && recall.sessions.length > 0 && (
        <>
          {/* A new list gets a new export: a finished file of another lot is never offered with it. */}
          <RecallExport key={`${recall.lot}\u0000${recall.includeDeleted}`} recall={recall} />
          <RecallClients recall={recall} />
          <RecallSessions recall={recall} />
        </>
      )}
    </article>
  );
}

function RecallExport({ recall }: { recall: LotRecall }) {
  const job = useExportJob();
  return (
    <section className="card" aria-labelledby="recall-export-title">
      <div className="section-head">
        <h2 id="recall-export-title">Export</h2>
        <button
          type="button"
          className="button"
          disabled={job.running}
          onClick={() =>
            void job.startWith(() =>
              call('lots.exportRecall', { lot: recall.lot, includeDeleted: recall.includeDeleted }),
            )
          }
        >
          Export the list as CSV
        </button>
      </div>
      <ExportJobStatus job={job} idPrefix="recall-export" />
    </section>
  );
}

function RecallSummary({ recall }: { recall: LotRecall }) {
  if (recall.sessions.length === 0) {
    return (
      <p className="card recall-none" role="status">
        No {recall.includeDeleted ? '' : 'live '}session recorded lot <strong>{recall.lot}</strong> as its
        cartridge, numbing agent or glide / serum lot.
      </p>
    );
  }
  const kinds = (Object.keys(LOT_KINDS) as LotKind[]).filter((k) => recall.byKind[k] > 0);
  return (
    <section className="card recall-summary" aria-labelledby="recall-summary-title">
      <h2 id="recall-summary-title">
        Lot {recall.lot}: {plural(recall.clients.length, 'client', 'clients')},{' '}
        {plural(recall.sessions.length, 'session', 'sessions')}
      </h2>
      <dl className="recall-facts">
        <div>
          <dt>First used</dt>
          <dd>{formatInstant(recall.firstUse as string)}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{formatInstant(recall.lastUse as string)}</dd>
        </div>
        <div>
          <dt>Recorded as</dt>
          <dd>
            {kinds
              .map(
                (k) =>
                  `${LOT_KINDS[k].toLowerCase()} lot (${plural(recall.byKind[k], 'session', 'sessions')})`,
              )
              .join('; ')}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function RecallClients({ recall }: { recall: LotRecall }) {
  // A client is marked when every session of theirs in the list is a deleted record.
  const live = new Set(recall.sessions.filter((s) => s.deletedAt === null).map((s) => s.clientId));
  return (
    <section className="card" aria-labelledby="recall-clients-title">
      <h2 id="recall-clients-title">Clients to contact</h2>
      <DataTable
        className="recall-table"
        columns={['Client', 'Date of birth', 'Phone', 'Email', 'Sessions', 'First – last use', 'Used as']}
      >
        {recall.clients.map((c) => (
          <tr key={c.clientId}>
            <th scope="row">
              <a href={href({ name: 'client', id: c.clientId })}>
                {c.lastName}, {c.firstName}
              </a>
              {!live.has(c.clientId) && <span className="badge badge-status">deleted record</span>}
            </th>
            <td className="recall-whole">{c.dateOfBirth ? formatDate(c.dateOfBirth) : '—'}</td>
            <td className="recall-whole">
              {c.phone ? <a href={`tel:${c.phone.replace(/[^+\d]/g, '')}`}>{c.phone}</a> : '—'}
            </td>
            <td className="recall-whole">{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '—'}</td>
            <td>{c.sessions}</td>
            <td>
              <time dateTime={c.firstUse}>{formatDate(localDay(c.firstUse))}</time>
              {c.lastUse !== c.firstUse && (
                <>
                  {' – '}
                  <time dateTime={c.lastUse}>{formatDate(localDay(c.lastUse))}</time>
                </>
              )}
            </td>
            <td>{usedAsText(c.usedAs)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function RecallSessions({ recall }: { recall: LotRecall }) {
  return (
    <section className="card" aria-labelledby="recall-sessions-title">
      <h2 id="recall-sessions-title">Sessions</h2>
      <DataTable
        className="recall-table"
        columns={['Date', 'Client', 'Course', 'Practitioner', 'Used as', 'Lots of the session']}
      >
        {recall.sessions.map((s) => (
          <tr key={s.sessionId}>
            <th scope="row">
              <time dateTime={s.performedAt}>{formatInstant(s.performedAt)}</time>
              {s.deletedAt && <span className="badge badge-status">deleted record</span>}
            </th>
            <td className="recall-whole">
              {s.clientLastName}, {s.clientFirstName}
            </td>
            <td>
              <a href={href({ name: 'course', id: s.courseId })}>
                {AREAS[s.courseArea as Area] ?? s.courseArea}
                {s.sessionNumber > 0 ? `, session ${s.sessionNumber}` : ''}
              </a>
            </td>
            <td>{s.practitionerName}</td>
            <td>{usedAsText(s.usedAs)}</td>
            <td>
              <dl className="recall-lots">
                {SESSION_LOTS.map(([kind, field, label]) => (
                  <div key={kind}>
                    <dt>{label}</dt>
                    <dd>{s.usedAs.includes(kind) ? <mark>{s[field]}</mark> : s[field] || '—'}</dd>
                  </div>
                ))}
              </dl>
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
