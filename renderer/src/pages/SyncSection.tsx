import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../contract/result.js';
import { call } from '../api.js';
import { Field } from '../components/Field.js';
import { syncLabel, useSyncStatus } from '../components/SyncBadge.js';
import { formatInstant } from '../format.js';
import { RelayHereSection } from './RelayHereSection.js';

/**
 * Settings → Sync: where this room stands with the clinic's relay, "Sync now", and (for a manager)
 * "Pair with clinic" with the relay's address and the one-time code it printed.
 */
export function SyncSection({ isManager }: { isManager: boolean }) {
  const [status, setStatus] = useSyncStatus();
  const [relayUrl, setRelayUrl] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function pair(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const reply = await call('sync.pair', {
      relayUrl,
      code,
      name,
      ...(fingerprint.trim() ? { fingerprint } : {}),
    });
    setBusy(false);
    if (!reply.ok) return setError(reply.error);
    setStatus(reply.value);
    setCode('');
  }

  async function syncNow() {
    setBusy(true);
    const reply = await call('sync.now', {});
    setBusy(false);
    if (reply.ok) setStatus(reply.value);
    else setError(reply.error);
  }

  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  const paired = status !== null && status.state !== 'unpaired';

  return (
    <section className="card sync" aria-labelledby="sync-title">
      <div className="section-head">
        <h2 id="sync-title">Sync</h2>
        {paired && (
          <button type="button" className="button" onClick={() => void syncNow()} disabled={busy}>
            Sync now
          </button>
        )}
      </div>
      <p className="muted">
        The treatment rooms of a clinic share their records through the clinic&apos;s relay, sealed with the
        clinic key. Each room keeps working offline; sync catches up when the relay can be reached.
      </p>
      {status === null ? (
        <p className="muted">Loading…</p>
      ) : paired ? (
        <dl className="facts">
          <dt>Status</dt>
          <dd>{syncLabel(status)}</dd>
          <dt>Relay</dt>
          <dd>{status.relayUrl}</dd>
          <dt>Certificate</dt>
          <dd className="fingerprint">{status.fingerprint}</dd>
          <dt>Last synced</dt>
          <dd>{status.lastSyncedAt ? formatInstant(status.lastSyncedAt) : 'Not yet'}</dd>
        </dl>
      ) : (
        <p>This room is not paired with a clinic relay.</p>
      )}
      {status?.message && (
        <p className="notice notice-error" role="alert">
          {status.message}
        </p>
      )}
      {status !== null && status.refused > 0 && (
        <p className="notice" role="status">
          {status.refused === 1
            ? 'One change from another room would have rewritten a signed record and was not applied.'
            : `${status.refused} changes from other rooms would have rewritten signed records and were not applied.`}{' '}
          Signed records change only by addendum.
        </p>
      )}
      {error && !error.field && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      {isManager && !paired && status !== null && (
        <form className="sync-pair" onSubmit={(e) => void pair(e)} noValidate>
          <h3>Pair with clinic</h3>
          <p className="muted">
            Start the relay on the clinic&apos;s computer (<code>needlelog relay</code>); it prints its
            address, its certificate fingerprint and a one-time pairing code.
          </p>
          <Field id="sync-relay" label="Relay address" error={fieldError('relayUrl')} required>
            {(a) => (
              <input
                {...a}
                type="url"
                value={relayUrl}
                placeholder="https://192.168.1.20:8443"
                onChange={(e) => setRelayUrl(e.target.value)}
              />
            )}
          </Field>
          <Field id="sync-code" label="Pairing code" error={fieldError('code')} required>
            {(a) => (
              <input {...a} value={code} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
            )}
          </Field>
          <Field id="sync-name" label="This room's name" error={fieldError('name')} required>
            {(a) => (
              <input {...a} value={name} placeholder="Room 2" onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
          <Field
            id="sync-fingerprint"
            label="Certificate fingerprint"
            hint="Optional: from the relay's line; any other certificate is then refused."
            error={fieldError('fingerprint')}
          >
            {(a) => <input {...a} value={fingerprint} onChange={(e) => setFingerprint(e.target.value)} />}
          </Field>
          <button type="submit" className="button primary" disabled={busy}>
            Pair with clinic
          </button>
        </form>
      )}
      {isManager && (
        <RelayHereSection
          onChanged={() =>
            void call('sync.status', {}).then((reply) => {
              if (reply.ok) setStatus(reply.value);
            })
          }
        />
      )}
    </section>
  );
}
