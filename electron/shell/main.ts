import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, shell } from 'electron';
import type { BrowserWindow } from 'electron';
import { formatterFor, runtimeLocale } from '../../contract/format.js';
import { DamagedDatabaseError } from '../api/clinic.js';
import { gateClinic, type GatedClinic } from '../api/clinicGate.js';
import { backupsDir, newestGoodBackup } from '../services/backups.js';
import { restoreBackup } from '../services/restoreBackup.js';
import { refuseNewerPlainClinic } from '../services/encryption.js';
import { readKeyFile, unlockWithKeychain } from '../services/keySlots.js';
import { electronKeychain } from './keychain.js';
import { resolveDataDir } from '../dataDir.js';
import { LOCK_REQUEST_JOB_ID, IPC_PROGRESS } from '../../contract/api.js';
import { createCallers, forwardProgress, registerIpc } from './ipc.js';
import { lockOnSystemLock } from './powerLock.js';
import { installMenu } from './menu.js';
import { registerAppProtocol, registerPhotoProtocol, registerPrivilegedSchemes } from './protocol.js';
import {
  APP_START_URL,
  createHardenedWindow,
  hardenWebContents,
  installPermissionHandlers,
} from './security.js';

/**
 * The Electron entry (built to out/main/index.js). It only wires things together: the database and
 * services are the same plain-Node modules the browser host and the CLI use; the rules live in
 * security.ts, the page server in protocol.ts, the API bridge in ipc.ts.
 */

interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Built renderer directory; defaults to out/renderer next to this bundle. */
  rendererDir?: string;
  /** Built preload script; defaults to out/preload/index.cjs next to this bundle. */
  preloadPath?: string;
  log?: (message: string, err?: unknown) => void;
}

interface AppHandle {
  /** The window, once created (tests use this). */
  window(): BrowserWindow | null;
  /** Resolves when startup on `ready` finished (true) or failed and the app quits (false). */
  ready: Promise<boolean>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function defaultLog(message: string, err?: unknown): void {
  if (err === undefined) console.error(`[needlelog] ${message}`);
  else console.error(`[needlelog] ${message}`, err);
}

export function startApp(options: StartOptions = {}): AppHandle {
  const env = options.env ?? process.env;
  const log = options.log ?? defaultLog;
  const rendererDir = options.rendererDir ?? path.join(here, '..', 'renderer');
  const preloadPath = options.preloadPath ?? path.join(here, '..', 'preload', 'index.cjs');

  let win: BrowserWindow | null = null;
  let clinic: GatedClinic | null = null;
  let closed = false;
  const cleanups: Array<() => void> = [];

  // Before `ready`: sandbox every renderer, and declare our scheme.
  app.enableSandbox();
  registerPrivilegedSchemes();

  if (!app.requestSingleInstanceLock()) {
    // Another NeedleLog owns this data; it gets focused through 'second-instance'.
    app.quit();
    return { window: () => null, ready: Promise.resolve(false) };
  }

  const showWindow = () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const createWindow = () => {
    win = createHardenedWindow(preloadPath, {
      width: 1280,
      height: 800,
      minWidth: 960,
      minHeight: 600,
      show: false,
      backgroundColor: '#f6f5f2',
      title: 'NeedleLog',
    });
    win.once('ready-to-show', showWindow);
    win.on('closed', () => {
      win = null;
    });
    void win.loadURL(APP_START_URL);
  };

  /** Backs up and closes the clinic once; resolves when the database is closed. */
  let closing: Promise<void> | null = null;
  const closeOnce = (): Promise<void> => {
    closing ??= (async () => {
      cleanups.splice(0).forEach((cleanup) => cleanup());
      const open = clinic;
      clinic = null;
      try {
        await open?.close();
      } catch (err) {
        log('closing the database failed', err);
      }
      closed = true;
    })();
    return closing;
  };

  /**
   * Prepares the clinic, opening it at once when this machine's keychain holds its key (otherwise
   * the window asks for the passphrase). If the database is damaged, says so plainly and offers the
   * newest backup that passes its integrity check. Declining (or having no backup) ends in the
   * error dialog, never in an empty clinic.
   */
  const openOrRecover = async (dataDir: string): Promise<GatedClinic> => {
    refuseNewerPlainClinic(dataDir);
    const gated = gateClinic(dataDir, { log, keychain: electronKeychain });
    try {
      gated.tryKeychain();
      return gated;
    } catch (err) {
      if (!(err instanceof DamagedDatabaseError)) throw err;
      const keyFile = readKeyFile(dataDir);
      const key = keyFile ? unlockWithKeychain(keyFile, electronKeychain) : null;
      if (!key) throw err;
      const good = newestGoodBackup(dataDir, key);
      if (!good)
        throw new Error(`${err.message} No backup was found in ${backupsDir(dataDir)}.`, { cause: err });
      const c = good.counts;
      const choice = dialog.showMessageBoxSync({
        type: 'error',
        title: 'NeedleLog',
        message: 'The clinic database is damaged.',
        detail:
          `${err.message}\n\nThe newest good backup is from ${formatterFor(runtimeLocale()).dateTime(good.createdAt)} ` +
          `(${c.clients} clients, ${c.sessions} sessions). Restoring it replaces the damaged file, ` +
          'which is kept unchanged in the backups folder.',
        buttons: ['Restore this backup', 'Quit'],
        defaultId: 0,
        cancelId: 1,
      });
      if (choice !== 0) throw err;
      await restoreBackup(dataDir, good.file, key);
      gated.tryKeychain();
      return gated;
    }
  };

  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (clinic !== null && win === null) createWindow();
  });
  // Quitting waits for the last backup and a clean close, then quits for real.
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    void closeOnce().then(() => app.quit());
  });

  const ready = app.whenReady().then(async () => {
    const dataDir = resolveDataDir(undefined, env, app.getPath('userData'));
    let opened: GatedClinic;
    try {
      opened = await openOrRecover(dataDir);
      clinic = opened;
    } catch (err) {
      // Never start on an empty clinic when the real one cannot be opened (e.g. a newer schema).
      const message = err instanceof Error ? err.message : String(err);
      log(`cannot open the database in ${dataDir}`, err);
      dialog.showErrorBox('NeedleLog cannot open the clinic data', `${message}\n\nData folder: ${dataDir}`);
      app.exit(1);
      return false;
    }

    const { deps } = opened;
    // A finished export is shown in the system's file manager; the renderer never sees its path.
    deps.exportsHost = { reveal: (file) => shell.showItemInFolder(file) };
    installPermissionHandlers(session.defaultSession);
    registerAppProtocol(rendererDir);
    const callers = createCallers();
    // Read at each request: a restore swaps the services for new ones over the restored database.
    // A face is served only while the clinic is open and someone is signed in, screen not locked.
    registerPhotoProtocol((id, variant) =>
      opened.isOpen() && callers.anyOpen()
        ? deps.services.photos.bytesOf(id, variant)
        : Promise.resolve(null),
    );
    const askWindowToLock = () => {
      if (win && !win.isDestroyed()) {
        win.webContents.send(IPC_PROGRESS, {
          jobId: LOCK_REQUEST_JOB_ID,
          label: 'Lock',
          done: 0,
          total: 0,
          finished: true,
        });
      }
    };
    cleanups.push(
      registerIpc(
        deps,
        (sender) => win !== null && !win.isDestroyed() && sender === win.webContents,
        log,
        callers,
      ),
      forwardProgress(deps.jobs, () => (win && !win.isDestroyed() ? win.webContents : null)),
      lockOnSystemLock(askWindowToLock, (reason) => {
        if (callers.lockAll(deps, reason) > 0) askWindowToLock();
      }),
    );
    installMenu(process.platform, app.isPackaged);
    createWindow();
    return true;
  });
  const started = ready.catch((err: unknown) => {
    log('startup failed', err);
    dialog.showErrorBox('NeedleLog could not start', err instanceof Error ? err.message : String(err));
    void closeOnce().finally(() => app.exit(1));
    return false;
  });

  return { window: () => win, ready: started };
}

// Started by Electron; imported by the unit tests (plain Node, `electron` faked) without side effects.
if (process.versions.electron) startApp();
