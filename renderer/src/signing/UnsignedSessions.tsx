import { useUnsignedSessions } from '../data/signing.js';
import { formatInstant } from '../format.js';
import { href } from '../router.js';
import '../styles/signing.css';

/** The signed-in practitioner's sessions still unsigned after the clinic's reminder age. */
export function UnsignedSessions() {
  const list = useUnsignedSessions().data;
  if (!list || list.items.length === 0) return null;
  const { afterDays, items } = list;
  return (
    // Folded: the clients list stays the page's main content; the count is what is seen first.
    <details className="sg-unsigned-list">
      <summary>
        <strong>
          Sessions to sign ({items.length}
          {items.length === 200 ? '+' : ''})
        </strong>
      </summary>
      <p className="field-hint">
        Your sessions not signed{' '}
        {afterDays === 0 ? 'yet' : `after ${afterDays} day${afterDays === 1 ? '' : 's'}`}. Open one and choose
        Sign session.
      </p>
      <ul>
        {items.slice(0, 10).map((s) => (
          <li key={s.sessionId}>
            <a href={href({ name: 'editSession', id: s.sessionId })}>
              {s.clientName}, {s.area}, session {s.number}
            </a>{' '}
            <span className="muted">{formatInstant(s.performedAt)}</span>
          </li>
        ))}
      </ul>
      {items.length > 10 && <p className="muted">and {items.length - 10} more.</p>}
    </details>
  );
}
