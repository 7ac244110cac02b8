import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session } from 'electron';
import type { BrowserWindow } from 'electron';
import { closeDatabase, openDatabase, type Db } from '../../db/connection.js';
import { createJobs } from '../api/jobs.js';
import { createServices } from '../services/index.js';
import { resolveDataDir } from '../dataDir.js';
import { forwardProgress, registerIpc } from './ipc.js';
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

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Built renderer directory; defaults to out/renderer next to this bundle. */
  rendererDir?: string;
  /** Built preload script; defaults to out/preload/index.cjs next to this bundle. */
  preloadPath?: string;
  log?: (message: string, err?: unknown) => void;
}

export interface AppHandle {
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
  let db: Db | null = null;
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

  const closeOnce = () => {
    cleanups.splice(0).forEach((cleanup) => cleanup());
    if (db === null) return;
    const open = db;
    db = null;
    try {
      closeDatabase(open);
    } catch (err) {
      log('closing the database failed', err);
    }
  };

  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (db !== null && win === null) createWindow();
  });
  app.on('will-quit', closeOnce);

  const ready = app.whenReady().then(() => {
    const dataDir = resolveDataDir(undefined, env, app.getPath('userData'));
    try {
      db = openDatabase(dataDir);
    } catch (err) {
      // Never start on an empty clinic when the real one cannot be opened (e.g. a newer schema).
      const message = err instanceof Error ? err.message : String(err);
      log(`cannot open the database in ${dataDir}`, err);
      dialog.showErrorBox('NeedleLog cannot open the clinic data', `${message}\n\nData folder: ${dataDir}`);
      app.exit(1);
      return false;
    }

    const services = createServices(db);
    const jobs = createJobs();
    installPermissionHandlers(session.defaultSession);
    registerAppProtocol(rendererDir);
    registerPhotoProtocol((id, variant) => services.photos.fileFor(id, variant));
    cleanups.push(
      registerIpc(
        { services, jobs },
        (sender) => win !== null && !win.isDestroyed() && sender === win.webContents,
        log,
      ),
      forwardProgress(jobs, () => (win && !win.isDestroyed() ? win.webContents : null)),
    );
    installMenu(process.platform, app.isPackaged);
    createWindow();
    return true;
  });
  const started = ready.catch((err: unknown) => {
    log('startup failed', err);
    dialog.showErrorBox('NeedleLog could not start', err instanceof Error ? err.message : String(err));
    closeOnce();
    app.exit(1);
    return false;
  });

  return { window: () => win, ready: started };
}

// Started by Electron; imported by the unit tests (plain Node, `electron` faked) without side effects.
if (process.versions.electron) startApp();
