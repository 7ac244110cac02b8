import { merkle, Timestamp } from '@actual-app/crdt';
import type { Db } from '../../../db/connection.js';
import { LATEST_VERSION } from '../../../db/migrate.js';
import { loadClock } from '../../../db/sync/clock.js';
import { applyMessages, messagesSince } from '../../../db/sync/messages.js';
import { readSyncState, writeSyncState } from '../../../db/sync/state.js';
import { MESSAGES_PER_ENVELOPE, open, seal } from './envelope.js';
import { syncFiles, type FilesReport, type FilesRequest, type FilesResponse } from './files.js';
import { MAX_PAGE, type ExchangeRequest, type ExchangeResponse } from './relay.js';
import { isEmptyRoom } from '../../../db/sync/snapshot.js';
import { RelayOfflineError } from './client.js';
import {
  maybePublishSnapshot,
  SNAPSHOT_AFTER_MESSAGES,
  SnapshotLoadError,
  takeSnapshot,
  type PublishedSnapshot,
  type SnapshotLink,
  type TakenSnapshot,
} from './snapshot.js';

/** How a room talks to its relay: over TLS in the app, in-process in tests. */
export interface RelayLink {
  exchange(req: ExchangeRequest): Promise<ExchangeResponse>;
  files(req: FilesRequest): Promise<FilesResponse>;
  snapshots: SnapshotLink;
}

export interface RoundReport {
  sent: number;
  received: number;
  rowsChanged: number;
  /** Rows still waiting for a parent or fields that have not arrived. */
  pending: number;
  /** Passes until this room's Merkle trie matched the relay's. */
  passes: number;
  /** Remote changes to signed records, refused (the signed record stays as it was). */
  refused: number;
  /** Photo files sent and fetched after the messages that name them. */
  files: FilesReport;
  snapshot: {
    /** An empty room's first round: the clinic snapshot it started from. */
    loaded: TakenSnapshot | null;
    /** Why the relay's snapshot was refused (the round then fetched every change instead). */
    refused: string | null;
    /** The snapshot this room published after the round. */
    published: PublishedSnapshot | null;
    /** Why publishing one after the round failed (the round itself succeeded). */
    publishFailed: string | null;
  };
}

class OutOfSyncError extends Error {
  constructor() {
    super(
      'This room could not get in step with the relay after many passes. Try again; if it stays, ask for help.',
    );
    this.name = 'OutOfSyncError';
  }
}

const MAX_PASSES = 20;

/**
 * One sync round, as Actual runs it: send what this room logged since the last round, receive what
 * the others sent, then compare Merkle tries; where they differ, go again from the first minute
 * that differs (a room that was offline for a week sends changes dated a week back). Every page
 * received is opened (authenticated) before any of it is applied, and applied in one transaction.
 */
/** Page sizes: the defaults in use; tests make them small so that paging itself is exercised. */
interface RoundSizes {
  envelopesPerRequest?: number;
  messagesPerEnvelope?: number;
  /** Publish a snapshot when the relay's lags this room by this many messages (Infinity: never). */
  snapshotAfterMessages?: number;
}

export async function syncRound(
  db: Db,
  key: Buffer,
  link: RelayLink,
  {
    envelopesPerRequest = MAX_PAGE,
    messagesPerEnvelope = MESSAGES_PER_ENVELOPE,
    snapshotAfterMessages = SNAPSHOT_AFTER_MESSAGES,
  }: RoundSizes = {},
): Promise<RoundReport> {
  const report: RoundReport = {
    sent: 0,
    received: 0,
    rowsChanged: 0,
    pending: 0,
    passes: 0,
    refused: 0,
    files: { sent: 0, received: 0, waiting: 0, refused: 0 },
    snapshot: { loaded: null, refused: null, published: null, publishFailed: null },
  };
  // An empty room starts from the clinic's snapshot, if the relay holds one; then the round as ever.
  // Any failure to fetch or load it (but the relay being out of reach, which fails the round as
  // ever) refuses that snapshot for good: reported, remembered in the sync state, and replayed.
  if (isEmptyRoom(db)) {
    try {
      report.snapshot.loaded = await takeSnapshot(db, key, link.snapshots);
    } catch (err) {
      if (err instanceof RelayOfflineError) throw err;
      if (err instanceof SnapshotLoadError) {
        if (err.cause instanceof RelayOfflineError) throw err.cause;
        writeSyncState(db, { snapshotRefusedId: err.snapshotId });
      }
      report.snapshot.refused = err instanceof Error ? err.message : String(err);
    }
  }
  let since = readSyncState(db).lastSynced ?? Timestamp.zero.toString();
  for (;;) {
    report.passes += 1;
    // Send everything logged since `since`, then receive page by page.
    let cursor = since;
    const perRequest = messagesPerEnvelope * envelopesPerRequest;
    for (;;) {
      const out = messagesSince(db, cursor, perRequest);
      if (out.length === 0) break;
      cursor = out[out.length - 1]!.timestamp;
      await link.exchange({
        since,
        messages: seal(key, out, messagesPerEnvelope),
        limit: 0,
        schemaVersion: LATEST_VERSION,
      });
      report.sent += out.length;
      if (out.length < perRequest) break;
    }
    cursor = since;
    let res: ExchangeResponse;
    for (;;) {
      res = await link.exchange({
        since: cursor,
        messages: [],
        limit: envelopesPerRequest,
        schemaVersion: LATEST_VERSION,
      });
      // Every envelope of the page is opened (authenticated) before any of it is applied.
      const received = res.messages.flatMap((e) => open(key, e));
      if (res.messages.length > 0) {
        const applied = applyMessages(db, received);
        report.received += applied.added;
        report.rowsChanged += applied.rowsChanged;
        report.pending = applied.pending;
        report.refused += applied.refused;
        cursor = res.messages[res.messages.length - 1]!.timestamps.reduce((a, b) => (b > a ? b : a));
      }
      if (!res.more) break;
    }
    const clock = loadClock(db);
    const diff = merkle.diff(res.merkle, clock.merkle);
    if (diff === null) {
      writeSyncState(db, { lastSynced: clock.timestamp.toString(), lastSyncedAt: new Date().toISOString() });
      // Files after the messages: the photo records (and their keys) that name them are here now.
      report.files = await syncFiles(db, (req) => link.files(req));
      try {
        report.snapshot.published = await maybePublishSnapshot(
          db,
          key,
          link.snapshots,
          snapshotAfterMessages,
        );
      } catch (err) {
        // The round itself is done (its cursor is written): whatever went wrong publishing is
        // reported, and a snapshot not published now is published after a later round.
        report.snapshot.publishFailed = err instanceof Error ? err.message : String(err);
      }
      return report;
    }
    if (report.passes >= MAX_PASSES) throw new OutOfSyncError();
    since = new Timestamp(diff, 0, '0').toString();
  }
}
