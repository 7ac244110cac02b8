import { SyncPair, type SyncStatus } from '../../../contract/sync.js';
import { AppError, parseInput } from '../errors.js';
import { readSyncState } from '../../../db/sync/state.js';
import { countMessagesAfter } from '../../../db/sync/messages.js';
import type { ServiceContext } from '../context.js';
import { pairedLink, pairRoom, RelayOfflineError, RelayRefusedError } from './client.js';
import { NoClinicKeyError, syncKey } from './key.js';
import { syncRound, type RoundReport } from './round.js';

/** How often a paired room syncs in the background while the relay answers. */
export const SYNC_EVERY_MS = 5_000;

/**
 * This room's sync: one round at a time (a click on "Sync now" during a background round waits
 * for it), and the status the header shows. The status is computed from the database (paired?,
 * changes since the last round) plus the outcome of the last round.
 */
export function syncService(ctx: ServiceContext) {
  let running: Promise<RoundReport> | null = null;
  let last: { state: 'offline' | 'error'; message: string } | null = null;
  let refused = 0;

  /** Messages logged after the last completed round: between rounds, only this room's own changes. */
  function waiting(lastSynced: string | undefined): number {
    return countMessagesAfter(ctx.db, lastSynced ?? '');
  }

  function status(): SyncStatus {
    const s = readSyncState(ctx.db);
    const paired = Boolean(s.relayUrl && s.deviceToken);
    const n = waiting(s.lastSynced);
    const state: SyncStatus['state'] = !paired
      ? 'unpaired'
      : running
        ? 'syncing'
        : last
          ? last.state
          : n > 0
            ? 'waiting'
            : 'synced';
    return {
      state,
      relayUrl: s.relayUrl ?? null,
      fingerprint: s.fingerprint ?? null,
      waiting: n,
      lastSyncedAt: s.lastSyncedAt ?? null,
      message: paired && last ? last.message : null,
      refused,
    };
  }

  /** One round now (or the one already running). Failures become the status; they are not thrown. */
  async function now(): Promise<SyncStatus> {
    if (!running) {
      running = (async () => syncRound(ctx.db, syncKey(ctx.db), pairedLink(ctx.db)))();
      try {
        refused += (await running).refused;
        last = null;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        last = { state: err instanceof RelayOfflineError ? 'offline' : 'error', message };
      } finally {
        running = null;
      }
    } else {
      await running.catch(() => undefined);
    }
    return status();
  }

  /** Pairs with the relay; its refusal (wrong code, other clinic key, certificate) is the error's sentence. */
  async function pair(input: SyncPair): Promise<SyncStatus> {
    const { relayUrl, code, name, fingerprint } = parseInput(SyncPair, input);
    try {
      await pairRoom(ctx.db, syncKey(ctx.db), {
        relayUrl: relayUrl.replace(/\/$/, ''),
        code,
        name,
        ...(fingerprint ? { fingerprint } : {}),
      });
    } catch (err) {
      if (
        err instanceof RelayRefusedError ||
        err instanceof RelayOfflineError ||
        err instanceof NoClinicKeyError
      ) {
        throw new AppError('conflict', err.message);
      }
      throw err;
    }
    last = null;
    return status();
  }

  return {
    status,
    now,
    pair,
    /** The background timer's call: a round when paired and none is running. */
    tick(): Promise<SyncStatus> | null {
      const s = readSyncState(ctx.db);
      if (!s.relayUrl || !s.deviceToken || running) return null;
      return now();
    },
  };
}
