import {
  closeDatabase,
  databasePath,
  openDatabase,
  setQueryOnly,
  type DataKey,
  type Db,
} from '../../db/connection.js';
import { dropHeldAccessRows, holdAccessRows, writeHeldAccessRows } from '../../db/accessLog.js';
import { createBackup, type RecordCounts } from '../services/backups.js';
import { restoreBackup } from '../services/restoreBackup.js';
import type { PhotoUrl } from '../services/context.js';
import { checkDatabaseOffThread } from '../services/dbWorkers.js';
import { createServices } from '../services/index.js';
import type { Logger } from './dispatch.js';
import type { HandlerDeps, Integrity } from './handlers.js';
import { createJobs, type Jobs } from './jobs.js';
import { SYNC_EVERY_MS } from '../services/sync/index.js';
import { startStep } from '../services/startTrace.js';
import { sweepStaleScratch } from '../services/exports/files.js';

// The hosts never import db/: the error that opening a damaged clinic throws reaches them from here.
export { DamagedDatabaseError } from '../../db/connection.js';

/** How often a running NeedleLog backs itself up (SQLite online backup, rotated). */
const AUTO_BACKUP_EVERY_MS = 4 * 60 * 60 * 1000;

export interface OpenClinic {
  dataDir: string;
  /** What the handlers use; `services` is replaced when a backup is restored. */
  deps: HandlerDeps;
  /** Backs up ("quit") unless told not to, then closes the database. Safe to call twice. */
  close(options?: { backup: boolean }): Promise<void>;
}

/**
 * One open clinic as both hosts run it: the database, the services over it, the long-running
 * jobs, an automatic backup every few hours and on close, and restore (close, swap, reopen).
 * Opening throws what openDatabase throws (newer schema, damaged file): the host decides what to say.
 * The integrity check runs on a worker thread meanwhile (`deps.integrity`), so a large clinic's first
 * screen does not wait seconds for it.
 */
export function openClinic(
  dataDir: string,
  key: DataKey,
  options: { photoUrl?: PhotoUrl; log: Logger; jobs?: Jobs; checkFile?: CheckFile },
): OpenClinic {
  const { log } = options;
  let db = openDatabase(dataDir, key, { check: false });
  startStep('database open, migrations checked');
  const integrity = checkInBackground(db, dataDir, key, log, options.checkFile ?? checkDatabaseOffThread);
  void sweepStaleScratch(dataDir).catch((err: unknown) =>
    log('removing the working folders of old exports failed', err),
  );
  const make = (d: Db) => createServices(d, options.photoUrl ? { photoUrl: options.photoUrl } : {});
  const jobs = options.jobs ?? createJobs();
  let closing: Promise<void> | undefined;
  /** A restore has the database closed (seconds: the file is swapped and checked). */
  let swapping = false;

  const deps: HandlerDeps = {
    services: make(db),
    jobs,
    integrity,
    backups: {
      create: () => createBackup(db, dataDir, 'manual'),
      async restore(source: string): Promise<RecordCounts> {
        // Close, swap and reopen with nothing else touching the file in between.
        await relayResumed;
        await deps.services.relayHere.close();
        swapping = true;
        closeDatabase(db);
        try {
          const result = await restoreBackup(dataDir, source, key);
          return result.counts;
        } finally {
          // Checked on open here: a restore is not a cold start, and its file must be sound.
          db = openDatabase(dataDir, key);
          deps.services = make(db);
          deps.integrity = { state: () => 'ok', done: Promise.resolve() };
          swapping = false;
          void deps.services.relayHere.resume();
        }
      },
    },
  };

  const timer = setInterval(() => {
    if (swapping) return;
    createBackup(db, dataDir, 'auto').catch((err: unknown) => log('automatic backup failed', err));
  }, AUTO_BACKUP_EVERY_MS);
  timer.unref();
  // Paired rooms sync in the background; a round never overlaps the previous one. A round writes,
  // so none runs before the integrity check is ok (the connection is query-only until then), nor
  // while a restore has the database closed.
  const syncTimer = setInterval(() => {
    if (swapping || deps.integrity?.state() !== 'ok') return;
    void deps.services.sync.tick()?.catch((err: unknown) => log('background sync failed', err));
  }, SYNC_EVERY_MS);
  syncTimer.unref();
  // The clinic's relay, when the manager runs it on this computer (Settings → Sync): started once
  // the check is ok (starting writes its address), never on a damaged clinic or one already closing.
  const relayResumed = integrity.done.then(
    () => (closing ? undefined : deps.services.relayHere.resume()),
    () => {},
  );

  return {
    dataDir,
    deps,
    close({ backup } = { backup: true }) {
      closing ??= (async () => {
        clearInterval(timer);
        clearInterval(syncTimer);
        // No thread may still be reading the file once the clinic is closed (a test's clean-up, a
        // restore's swap): a check still running is let finish (seconds, only just after opening).
        await integrity.done.catch(() => {});
        // A relay on its way up is let start, so that closing it stops it for good.
        await relayResumed;
        await deps.services.relayHere.close().catch((err: unknown) => log('closing the relay failed', err));
        // A damaged file is left exactly as it is: no backup of it, no optimize on close.
        const state = deps.integrity?.state() ?? 'ok';
        if (backup && state !== 'damaged') {
          try {
            await createBackup(db, dataDir, 'quit');
          } catch (err) {
            log('backup on close failed', err);
          }
        }
        closeDatabase(db);
      })();
      return closing;
    },
  };
}

/** How a just-opened clinic's file is checked: SQLite's quick_check on a worker thread (tests may wrap it). */
export type CheckFile = (file: string, key: DataKey) => Promise<void>;

/**
 * Starts the integrity check of a just-opened database on a worker thread; the connection stays
 * query-only until the check is ok (and for good when it is not), so nothing is written on top of
 * damage the check has yet to find. The session steps' access-log rows (a sign-in) are held
 * meanwhile and written first thing once it is ok, before any write that waited for it, so that
 * signing in does not wait for the check; closing the clinic waits for the check, so they are
 * written then too. A damaged database gets none of them.
 */
function checkInBackground(db: Db, dataDir: string, key: DataKey, log: Logger, check: CheckFile): Integrity {
  let state: 'pending' | 'ok' | 'damaged' = 'pending';
  setQueryOnly(db, true);
  holdAccessRows(db);
  const done = check(databasePath(dataDir), key);
  done.then(
    () => {
      startStep('integrity check ok');
      state = 'ok';
      if (!db.open) return;
      setQueryOnly(db, false);
      try {
        writeHeldAccessRows(db);
      } catch (err) {
        log('the sign-ins made during the integrity check could not be written to the activity log', err);
      }
    },
    (err: unknown) => {
      state = 'damaged';
      const dropped = dropHeldAccessRows(db);
      log('the integrity check of the clinic database failed', err);
      if (dropped > 0) log(`${dropped} activity-log row(s) were not written to the damaged database`);
    },
  );
  return { state: () => state, done };
}
