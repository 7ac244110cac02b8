import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../contract/result.js';
import type { RelayCode, RelayHere } from '../../../contract/sync.js';
import { call } from '../api.js';
import { Field } from '../components/Field.js';
import { formatInstant } from '../format.js';

/**
 * Settings → Sync, for a manager: the clinic's relay run on this computer. Before: choose the
 * address the rooms reach it on and start it (this room pairs with it at once). Then: its address
 * and certificate, a fresh pairing code for another room, the rooms paired, and Revoke.
 */
export function RelayHereSection({ onChanged }: { onChanged: () => void }) {
  const [relay, setRelay] = useState<RelayHere | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('8443');
  const [name, setName] = useState('');
  const [code, setCode] = useState<RelayCode | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void call('sync.relay', {}).then((reply) => {
      if (!live) return;
      if (reply.ok) {
        setRelay(reply.value);
        setHost((h) => h || (reply.value.addresses[0] ?? ''));
      } else setError(reply.error);
    });
    return () => {
      live = false;
    };
  }, []);

  async function run<T>(fn: () => Promise<{ ok: true; value: T } | { ok: false; error: ApiError }>) {
    setBusy(true);
    setError(null);
    const reply = await fn();
    setBusy(false);
    if (!reply.ok) {
      setError(reply.error);
      return null;
    }
    return reply.value;
  }

  async function start(e: FormEvent) {
    e.preventDefault();
    const value = await run(() => call('sync.relayStart', { host, port: Number(port), name }));
    if (value) {
      setRelay(value);
      onChanged();
    }
  }

  async function newCode() {
    const value = await run(() => call('sync.relayCode', {}));
    if (value) setCode(value);
    // The rooms' "last seen" as of now, with the code.
    const fresh = await call('sync.relay', {});
    if (fresh.ok) setRelay(fresh.value);
  }

  async function revoke(deviceId: string) {
    const value = await run(() => call('sync.relayRevoke', { deviceId }));
    if (value) setRelay(value);
  }

  async function stop() {
    const value = await run(() => call('sync.relayStop', {}));
    if (value) {
      setRelay(value);
      setCode(null);
    }
  }

  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  if (relay === null) return error ? <p className="notice notice-error">{error.message}</p> : null;

  return (
    <section className="relay-here" aria-labelledby="relay-here-title">
      <h3 id="relay-here-title">Relay on this computer</h3>
      {relay.message && (
        <p className="notice notice-error" role="alert">
          {relay.message}
        </p>
      )}
      {error && !error.field && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      {!relay.running ? (
        <form className="sync-pair" onSubmit={(e) => void start(e)} noValidate>
          <p className="muted">
            The rooms of the clinic sync through one relay. Run it here if this computer stays on while the
            rooms work; it keeps only sealed changes, never a readable record.
          </p>
          <Field
            id="relay-host"
            label="Address the rooms reach it on"
            hint="This computer's address on the clinic network."
            error={fieldError('host')}
            required
          >
            {(a) => (
              <select {...a} value={host} onChange={(e) => setHost(e.target.value)}>
                {relay.addresses.map((addr) => (
                  <option key={addr} value={addr}>
                    {addr}
                    {addr === '127.0.0.1' ? ' (this computer only)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="relay-port" label="Port" error={fieldError('port')} required>
            {(a) => (
              <input {...a} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
            )}
          </Field>
          <Field id="relay-name" label="Name of this computer's room" error={fieldError('name')} required>
            {(a) => (
              <input
                {...a}
                value={name}
                placeholder="Manager's office"
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" className="button primary" disabled={busy}>
            Run the relay here
          </button>
        </form>
      ) : (
        <>
          <dl className="facts">
            <dt>Address</dt>
            <dd>{relay.url}</dd>
            <dt>Certificate</dt>
            <dd className="fingerprint">{relay.fingerprint}</dd>
          </dl>
          <div className="relay-code">
            <button type="button" className="button" onClick={() => void newCode()} disabled={busy}>
              New pairing code
            </button>
            {code && (
              <p role="status">
                Pairing code <strong className="pairing-code">{code.code}</strong>, for one room, until{' '}
                {formatInstant(code.expiresAt)}. In that room: Settings → Sync → Pair with clinic, with the
                address above.
              </p>
            )}
          </div>
          <table className="relay-devices">
            <caption>Rooms paired with this relay</caption>
            <thead>
              <tr>
                <th scope="col">Room</th>
                <th scope="col">Paired</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Access</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {relay.devices.map((d) => (
                <tr key={d.id}>
                  <td>{d.name}</td>
                  <td>{formatInstant(d.createdAt)}</td>
                  <td>{d.lastSeen ? formatInstant(d.lastSeen) : 'Not yet'}</td>
                  <td>
                    {d.revokedAt ? (
                      <span className="muted">Revoked {formatInstant(d.revokedAt)}</span>
                    ) : (
                      <button
                        type="button"
                        className="button danger"
                        aria-label={`Revoke ${d.name}`}
                        onClick={() => void revoke(d.id)}
                        disabled={busy}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" className="button" onClick={() => void stop()} disabled={busy}>
            Stop the relay
          </button>
        </>
      )}
    </section>
  );
}
