import { useEffect, useId, useState } from 'react';
import type { AuditEntry } from '../../../contract/schemas.js';
import { call } from '../api.js';
import { actionTitle, diffRecords, formatDateTime } from '../session/history.js';
import '../styles/session.css';

type Entity = 'client' | 'course' | 'session' | 'adverse_event' | 'practitioner' | 'settings';

interface Props {
  entity: Entity;
  entityId: string;
  /** Change it to fetch again (e.g. after the page saved an edit). */
  refreshKey?: number;
  /** The heading text; "History" unless told. */
  title?: string;
}

type State =
  { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; entries: AuditEntry[] };

/**
 * Who changed what, when, from what to what: the audit trail of one record, newest first, with a
 * per-field difference of the snapshots kept for every write.
 */
export function HistoryPanel({ entity, entityId, refreshKey = 0, title = 'History' }: Props) {
  const headingId = useId();
  const [state, setState] = useState<State>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    void call('audit.list', { entity, entityId }).then((reply) => {
      if (!current) return;
      setState(
        reply.ok
          ? { status: 'ok', entries: [...reply.value].reverse() }
          : { status: 'error', message: reply.error.message },
      );
    });
    return () => {
      current = false;
    };
  }, [entity, entityId, refreshKey]);

  return (
    <section className="history" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {state.status === 'loading' && <p className="muted">Loading history…</p>}
      {state.status === 'error' && (
        <p className="notice notice-error" role="alert">
          The history could not be loaded: {state.message}
        </p>
      )}
      {state.status === 'ok' && state.entries.length === 0 && <p className="muted">No changes recorded.</p>}
      {state.status === 'ok' && state.entries.length > 0 && (
        <ol className="history-list">
          {state.entries.map((entry) => (
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
