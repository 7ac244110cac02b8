import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../contract/sync.js';
import { call } from '../api.js';
import { onBeforeLock } from '../auth/lockHooks.js';

/** How often the header asks how sync stands (the round itself runs on the main side). */
const POLL_MS = 5_000;

export function syncLabel(s: SyncStatus): string {
  switch (s.state) {
    case 'unpaired':
      return 'Not paired';
    case 'syncing':
      return 'Syncing…';
    case 'synced':
      return 'Synced';
    case 'waiting':
      return `${s.waiting} ${s.waiting === 1 ? 'change' : 'changes'} waiting`;
    case 'offline':
      return 'Offline';
    case 'error':
      return 'Sync error';
  }
}

/** Polls the sync status while mounted; null until the first answer. */
export function useSyncStatus(): [SyncStatus | null, (s: SyncStatus) => void] {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let live = true;
    const ask = () =>
      void call('sync.status', {}).then((reply) => {
        if (live && reply.ok) setStatus(reply.value);
      });
    ask();
    const timer = setInterval(ask, POLL_MS);
    const stop = () => {
      live = false;
      clearInterval(timer);
    };
    // No call may reach the main side after it is asked to lock (it would be refused); the page is
    // unmounted while locked and polls again once it is back.
    const unregister = onBeforeLock(() => Promise.resolve(stop()));
    return () => {
      stop();
      unregister();
    };
  }, []);
  return [status, setStatus];
}

/** The header's small sync status; nothing at all for a clinic that is not paired with a relay. */
export function SyncBadge() {
  const [status] = useSyncStatus();
  if (!status || status.state === 'unpaired') return null;
  return (
    <span
      className={`sync-badge sync-${status.state}`}
      role="status"
      title={status.message ?? (status.relayUrl ? `Relay: ${status.relayUrl}` : undefined)}
    >
      {syncLabel(status)}
      {status.message && <span className="visually-hidden">: {status.message}</span>}
    </span>
  );
}
