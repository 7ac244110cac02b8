import { useId } from 'react';
import type { AuditEntry } from '../../../contract/schemas.js';
import { useAudit } from '../data/history.js';
import { actionTitle, diffRecords, formatDateTime } from '../session/history.js';
import '../styles/session.css';

type Entity = 'client' | 'course' | 'session' | 'adverse_event' | 'practitioner' | 'settings';

interface Props {
  entity: Entity;
  entityId: string;
  /** The heading text; "History" unless told. */
  title?: string;
}

/**
 * Who changed what, when, from what to what: the audit trail of one record, newest first, with a
 * per-field difference of the snapshots kept for every write.
 */
export function HistoryPanel({ entity, entityId, title = 'History' }: Props) {
  const headingId = useId();
  const history = useAudit({ entity, entityId });
  const entries = history.data ? [...history.data].reverse() : null;

  return (
    <section className="history" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {history.isPending && <p className="muted">Loading history…</p>}
      {history.isError && (
        <p className="notice notice-error" role="alert">
          The history could not be loaded: {history.error.message}
        </p>
      )}
      {entries?.length === 0 && <p className="muted">No changes recorded.</p>}
      {entries && entries.length > 0 && (
        <ol className="history-list">
          {entries.map((entry) => (
            <HistoryItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryItem({ entry }: { entry: AuditEntry }) {
  const changes = entry.action === 'update' ? diffRecords(entry.before, entry.after) : [];
  const who = entry.actorName ?? 'someone unknown';
  return (
    <li className={`history-item history-${entry.action}`}>
      <p className="history-head">
        <strong>{actionTitle(entry.entity, entry.action)}</strong>
        <span className="muted">
          {' '}
          by {who}
          {entry.origin && <span className="history-origin"> in {entry.origin}</span>},{' '}
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
        </span>
      </p>
      {entry.action === 'update' && changes.length === 0 && <p className="muted">No visible change.</p>}
      {changes.length > 0 && (
        <ul className="history-changes">
          {changes.map((c) => (
            <li key={c.key}>
              <span className="history-label">{c.label}:</span>{' '}
              <span className="history-before">{c.before}</span> →{' '}
              <span className="history-after">{c.after}</span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
