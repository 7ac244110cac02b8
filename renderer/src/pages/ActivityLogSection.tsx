import { useState } from 'react';
import type { Practitioner } from '../../../contract/schemas.js';
import { useActivity } from '../data/activity.js';
import { DateRangeFields } from '../components/DateRangeFields.js';
import { Field } from '../components/Field.js';
import { LabelOptions, PractitionerOptions } from '../components/LabelOptions.js';
import { formatDateTime } from '../session/history.js';

const PAGE = 100;
type Kind = '' | 'records' | 'signIn' | 'access';
const KINDS: Record<Kind, string> = {
  '': 'Everything',
  records: 'Changes to records',
  signIn: 'Sign-in, lock and PINs',
  access: 'Exports and photos opened',
};

/** Settings → Activity log (managers): who did what and when, newest first, with filters. */
export function ActivityLogSection({ practitioners }: { practitioners: readonly Practitioner[] }) {
  const [actorId, setActorId] = useState('');
  const [kind, setKind] = useState<Kind>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const activity = useActivity({
    actorId: actorId || null,
    kind: kind || null,
    from: from || null,
    to: to || null,
    limit,
  });
  const items = activity.data?.items ?? [];
  const total = activity.data?.total ?? 0;
  const error = activity.error?.message ?? null;

  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Activity log</h2>
      <p className="field-hint">
        Every change to a record, every sign-in, lock and wrong PIN, every export and every time a client’s
        photos were opened, with who did it.
      </p>
      <div className="form-grid activity-filters">
        <Field id="activity-who" label="Who">
          {(a) => (
            <select {...a} value={actorId} onChange={(e) => setActorId(e.target.value)}>
              <PractitionerOptions practitioners={practitioners} />
            </select>
          )}
        </Field>
        <Field id="activity-what" label="What">
          {(a) => (
            <select {...a} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <LabelOptions labels={KINDS} />
            </select>
          )}
        </Field>
        <DateRangeFields id="activity" from={from} to={to} onFrom={setFrom} onTo={setTo} />
      </div>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <p role="status" className="saved-note">
        {total === 0 ? 'Nothing matches these filters.' : `${total} ${total === 1 ? 'entry' : 'entries'}`}
      </p>
      {items.length > 0 && (
        <table className="activity-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.actorName ?? '—'}</td>
                <td>{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items.length < total && (
        <button type="button" className="button" onClick={() => setLimit((n) => Math.min(500, n + PAGE))}>
          Show more
        </button>
      )}
    </section>
  );
}
