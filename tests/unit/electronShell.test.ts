import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE, IPC_PROGRESS, LOCK_REQUEST_JOB_ID } from '../../contract/api.js';
import { TEST_PIN } from '../support/signIn.js';
import { TEST_PASSPHRASE, testKeyFor } from '../support/clinic.js';
import { CHANNEL_NAMES } from '../../contract/channels.js';
import type { ProgressEvent, Reply } from '../../contract/result.js';

// ---------------------------------------------------------------------------------------------
// A fake `electron` module: doubles that record what the shell registers, creates and exposes.
// The database, services and dispatch underneath are the real ones, on a temp-dir SQLite file.
// ---------------------------------------------------------------------------------------------
type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(name: string, fn: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
      return this;
    }
    once(name: string, fn: Listener) {
      const wrapped: Listener = (...args) => {
        this.off(name, wrapped);
        return fn(...args);
      };
      return this.on(name, wrapped);
    }
    off(name: string, fn: Listener) {
      this.listeners.set(
        name,
        (this.listeners.get(name) ?? []).filter((l) => l !== fn),
      );
      return this;
    }
    emit(name: string, ...args: unknown[]) {
      for (const l of [...(this.listeners.get(name) ?? [])]) l(...args);
      return (this.listeners.get(name) ?? []).length > 0;
    }
    count(name: string) {
      return (this.listeners.get(name) ?? []).length;
    }
  }

  let nextId = 1;
  class FakeWebContents extends Emitter {
    id = nextId++;
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    send = vi.fn();
    destroyed = false;
    isDestroyed() {
      return this.destroyed;
    }
    getURL() {
      return 'app://needlelog/index.html';
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }

  const state = {
    userData: '',
    windows: [] as FakeBrowserWindow[],
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    devicePermission: null as Listener | null,
    calls: [] as string[],
  };

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    enableSandbox: vi.fn(() => state.calls.push('enableSandbox')),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => {
      state.calls.push('whenReady');
      return Promise.resolve();
    }),
    getPath: vi.fn((name: string) => (name === 'userData' ? state.userData : os.tmpdir())),
  });

  class FakeBrowserWindow extends Emitter {
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    loadURL = vi.fn(async (_url: string) => undefined);
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    minimized = false;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      state.windows.push(this);
      // Electron announces every new webContents on the app.
      app.emit('web-contents-created', {}, this.webContents);
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return this.minimized;
    }
  }

  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: vi.fn((channel: string, fn: Listener) => state.ipcHandlers.set(channel, fn)),
      removeHandler: vi.fn((channel: string) => state.ipcHandlers.delete(channel)),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => state.calls.push('registerSchemesAsPrivileged')),
      handle: vi.fn((scheme: string, fn: (request: Request) => Promise<Response>) =>
        state.protocolHandlers.set(scheme, fn),
      ),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn((fn: Listener) => (state.permissionRequest = fn)),
        setPermissionCheckHandler: vi.fn((fn: Listener) => (state.permissionCheck = fn)),
        setDevicePermissionHandler: vi.fn((fn: Listener) => (state.devicePermission = fn)),
      },
    },
    dialog: { showErrorBox: vi.fn(), showMessageBoxSync: vi.fn(() => 0) },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    shell: { openExternal: vi.fn(async (_url: string) => undefined) },
    // The OS screen lock and suspend, emitted by the tests.
    powerMonitor: new Emitter(),
    // A keychain double: reversible, and refusing what it did not make (as another account's would).
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
      encryptString: vi.fn((s: string) => Buffer.from(`kc:${Buffer.from(s).toString('hex')}`)),
      decryptString: vi.fn((b: Buffer) => {
        const t = b.toString();
        if (!t.startsWith('kc:'))
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        return Buffer.from(t.slice(3), 'hex').toString();
      }),
    },
  };

  return { state, electron, app, FakeWebContents };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

// The real closeDatabase, wrapped so the test can count calls.
const closeSpy = vi.hoisted(() => ({ calls: [] as Array<{ open: boolean }> }));
vi.mock('../../db/connection.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../db/connection.js')>();
  return {
    ...real,
    closeDatabase: (db: Parameters<typeof real.closeDatabase>[0]) => {
      real.closeDatabase(db);
      closeSpy.calls.push({ open: db.open });
    },
  };
});

const { startApp } = await import('../../electron/shell/main.js');
const security = await import('../../electron/shell/security.js');
const { createAppProtocolHandler, createPhotoProtocolHandler } =
  await import('../../electron/shell/protocol.js');
const { menuTemplate } = await import('../../electron/shell/menu.js');
const { LOCK_GRACE_MS } = await import('../../electron/shell/powerLock.js');
const { electronKeychain } = await import('../../electron/shell/keychain.js');
const keySlots = await import('../../electron/services/keySlots.js');

/**
 * A test clinic whose key file also has a slot in this machine's (fake) keychain, so the app opens
 * it without asking for the passphrase, as the desktop app does on the machine that set it up.
 */
function withKeychainSlot(dir: string): string {
  const key = testKeyFor(dir);
  const file = keySlots.readKeyFile(dir)!;
  keySlots.writeKeyFile(dir, keySlots.withSlot(file, keySlots.keychainSlot(key, electronKeychain)!));
  return dir;
}

// ---------------------------------------------------------------------------------------------

const HARDENED = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
};

const OUR_PAGE = 'app://needlelog/index.html';
let dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-shell-'));
  dirs.push(dir);
  return dir;
}

function resetFakes() {
  const { state, electron, app } = fake;
  state.windows.length = 0;
  state.ipcHandlers.clear();
  state.protocolHandlers.clear();
  state.permissionRequest = state.permissionCheck = state.devicePermission = null;
  state.calls.length = 0;
  app.listeners.clear();
  electron.powerMonitor.listeners.clear();
  app.isPackaged = false;
  vi.clearAllMocks();
  app.requestSingleInstanceLock.mockImplementation(() => true);
  electron.shell.openExternal.mockImplementation(async () => undefined);
  electron.safeStorage.isEncryptionAvailable.mockImplementation(() => true);
  electron.safeStorage.getSelectedStorageBackend.mockImplementation(() => 'gnome_libsecret');
  closeSpy.calls.length = 0;
}

async function started(env: NodeJS.ProcessEnv = {}) {
  const dataDir = withKeychainSlot(tempDir());
  fake.state.userData = tempDir();
  const handle = startApp({
    env: { NEEDLELOG_DATA_DIR: dataDir, ...env },
    rendererDir: tempDir(),
    preloadPath: '/built/preload/index.cjs',
    log: () => undefined,
  });
  const ok = await handle.ready;
  return { handle, ok, dataDir };
}

function ourWindow() {
  const win = fake.state.windows[0];
  if (!win) throw new Error('no window was created');
  return win;
}

function invokeHandler() {
  const handler = fake.state.ipcHandlers.get(IPC_INVOKE);
  if (!handler) throw new Error('no IPC handler registered');
  return handler as (event: unknown, channel: unknown, input: unknown) => Promise<Reply<unknown>>;
}

/** First run over IPC: the clinic and its manager, signed in for this window. */
async function signIn() {
  const reply = await invokeHandler()(eventFrom(OUR_PAGE), 'auth.setup', {
    clinicName: 'Shell Clinic',
    name: 'Mara Manager',
    pin: TEST_PIN,
  });
  expect(reply).toMatchObject({ ok: true, value: { state: 'signedIn' } });
}

function eventFrom(url: string, opts: { parent?: unknown; sender?: unknown } = {}) {
  return {
    sender: opts.sender ?? ourWindow().webContents,
    senderFrame: { url, parent: opts.parent ?? null },
  };
}

/** Asks the app to quit; resolves once it has backed up, closed the database and quit for real. */
async function quit() {
  let prevented = false;
  const quitsBefore = fake.app.quit.mock.calls.length;
  fake.app.emit('will-quit', { preventDefault: () => (prevented = true) });
  // The quit backup is made on a database worker thread: give it time on a loaded machine.
  if (prevented)
    await vi.waitFor(() => expect(fake.app.quit.mock.calls.length).toBeGreaterThan(quitsBefore), {
      timeout: 30_000,
    });
}

beforeEach(() => {
  resetFakes();
  dirs = [];
});

afterEach(async () => {
  await quit();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('startup', () => {
  it('sandboxes, declares the app scheme before ready, and opens one hardened window on our page', async () => {
    const { ok } = await started();
    expect(ok).toBe(true);
    const { calls } = fake.state;
    expect(calls.indexOf('enableSandbox')).toBeLessThan(calls.indexOf('whenReady'));
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('whenReady'));
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      },
      { scheme: 'needlelog-photo', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(fake.state.protocolHandlers.has('app')).toBe(true);
    expect(fake.state.protocolHandlers.has('needlelog-photo')).toBe(true);

    expect(fake.state.windows).toHaveLength(1);
    const win = ourWindow();
    expect(win.options).toMatchObject({ show: false, width: 1280, height: 800 });
    expect(win.options.webPreferences).toMatchObject({ ...HARDENED, preload: '/built/preload/index.cjs' });
    expect(win.loadURL).toHaveBeenCalledWith(OUR_PAGE);

    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
    expect(fake.electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });

  it('takes the data directory from NEEDLELOG_DATA_DIR, else from userData', async () => {
    const { dataDir } = await started();
    expect(fs.existsSync(path.join(dataDir, 'needlelog.sqlite'))).toBe(true);
    await quit();

    resetFakes();
    fake.state.userData = withKeychainSlot(tempDir());
    const userData = fake.state.userData;
    const handle = startApp({ env: {}, rendererDir: tempDir(), log: () => undefined });
    await handle.ready;
    expect(fs.existsSync(path.join(userData, 'needlelog.sqlite'))).toBe(true);
  });

  it('quits without a window when another instance holds the lock', async () => {
    fake.app.requestSingleInstanceLock.mockImplementation(() => false);
    const handle = startApp({ env: { NEEDLELOG_DATA_DIR: tempDir() }, log: () => undefined });
    expect(await handle.ready).toBe(false);
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.state.ipcHandlers.size).toBe(0);
  });

  it('focuses the existing window when a second instance starts', async () => {
    await started();
    const win = ourWindow();
    win.minimized = true;
    fake.app.emit('second-instance', {}, [], '');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });

  it('shows the plain error and quits when the database is from a newer version, never starting empty', async () => {
    const dataDir = tempDir();
    const newer = new Database(path.join(dataDir, 'needlelog.sqlite'));
    newer.pragma('user_version = 9999');
    newer.close();
    fake.state.userData = tempDir();

    const handle = startApp({ env: { NEEDLELOG_DATA_DIR: dataDir }, log: () => undefined });
    expect(await handle.ready).toBe(false);
    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [, message] = fake.electron.dialog.showErrorBox.mock.calls[0] as [string, string];
    expect(message).toMatch(/newer version of NeedleLog/);
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fake.state.windows).toHaveLength(0);
    expect(fake.state.ipcHandlers.size).toBe(0);
  });

  it('offers the newest good backup when the database is damaged, and restores it on consent', async () => {
    const dataDir = tempDir();
    const { openDatabase, closeDatabase } = await import('../../db/connection.js');
    const { createBackup } = await import('../../electron/services/backups.js');
    const { createServices } = await import('../../electron/services/index.js');
    const db = openDatabase(dataDir, testKeyFor(withKeychainSlot(dataDir)));
    createServices(db).clients.create({ firstName: 'Zoë', lastName: 'Okafor' });
    await createBackup(db, dataDir, 'auto');
    closeDatabase(db);
    fs.writeFileSync(path.join(dataDir, 'needlelog.sqlite'), Buffer.alloc(8192, 0x42));
    fake.state.userData = tempDir();

    fake.electron.dialog.showMessageBoxSync.mockImplementation(() => 1); // "Quit"
    const declined = startApp({ env: { NEEDLELOG_DATA_DIR: dataDir }, log: () => undefined });
    expect(await declined.ready).toBe(false);
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fs.readFileSync(path.join(dataDir, 'needlelog.sqlite'))[0]).toBe(0x42); // untouched

    resetFakes();
    fake.state.userData = tempDir();
    fake.electron.dialog.showMessageBoxSync.mockImplementation(() => 0); // "Restore this backup"
    const restored = startApp({
      env: { NEEDLELOG_DATA_DIR: dataDir },
      rendererDir: tempDir(),
      log: () => undefined,
    });
    expect(await restored.ready).toBe(true);
    const [options] = fake.electron.dialog.showMessageBoxSync.mock.calls[0] as unknown as [
      { detail: string },
    ];
    expect(options.detail).toMatch(/newest good backup is from .* \(1 clients, 0 sessions\)/);
    await signIn();
    const reply = await invokeHandler()(eventFrom(OUR_PAGE), 'clients.list', {});
    expect(reply).toMatchObject({ ok: true, value: { total: 1 } });
    expect(fs.readdirSync(path.join(dataDir, 'backups')).some((n) => n.startsWith('damaged-'))).toBe(true);
  });

  it('backs up and closes the database exactly once on quit', async () => {
    const { dataDir } = await started();
    await Promise.all([quit(), quit()]);
    expect(closeSpy.calls).toEqual([{ open: false }]);
    expect(
      fs.readdirSync(path.join(dataDir, 'backups')).filter((n) => n.endsWith('-quit.sqlite')),
    ).toHaveLength(1);
    expect(fake.state.ipcHandlers.has(IPC_INVOKE)).toBe(false);
  });
});

describe('keychain and unlocking', () => {
  it('opens without a prompt through the keychain slot', async () => {
    const { ok } = await started();
    expect(ok).toBe(true);
    expect(await invokeHandler()(eventFrom(OUR_PAGE), 'clinic.status', {})).toEqual({
      ok: true,
      value: { state: 'open' },
    });
  });

  it('counts the basic_text backend as no keychain: the window asks for the passphrase, nothing answers before', async () => {
    fake.electron.safeStorage.getSelectedStorageBackend.mockImplementation(() => 'basic_text');
    const dataDir = tempDir();
    testKeyFor(dataDir); // a clinic with passphrase and recovery slots only
    fake.state.userData = tempDir();
    const handle = startApp({
      env: { NEEDLELOG_DATA_DIR: dataDir },
      rendererDir: tempDir(),
      log: () => undefined,
    });
    expect(await handle.ready).toBe(true);
    const invoke = invokeHandler();
    expect(await invoke(eventFrom(OUR_PAGE), 'clinic.status', {})).toEqual({
      ok: true,
      value: { state: 'locked' },
    });
    expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    const wrong = await invoke(eventFrom(OUR_PAGE), 'clinic.unlock', { secret: 'not the passphrase' });
    expect(wrong).toMatchObject({
      ok: false,
      error: { field: 'secret', message: expect.stringMatching(/does not open this clinic/) },
    });
    expect(fs.existsSync(path.join(dataDir, 'needlelog.sqlite'))).toBe(false); // nothing touched
    expect(await invoke(eventFrom(OUR_PAGE), 'clinic.unlock', { secret: TEST_PASSPHRASE })).toMatchObject({
      ok: true,
    });
    await signIn(); // unlocked, then signed in (nobody can sign in to a locked clinic)
    expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({ ok: true });
    // With no real keychain, no keychain slot was added: the passphrase is asked again next time.
    expect(
      keySlots
        .readKeyFile(dataDir)!
        .slots.map((s) => s.type)
        .sort(),
    ).toEqual(['passphrase', 'recovery']);
  });

  it('sets up a new clinic from the window with a keychain slot, and opens it next time without a prompt', async () => {
    const dataDir = tempDir();
    fake.state.userData = tempDir();
    const first = startApp({
      env: { NEEDLELOG_DATA_DIR: dataDir },
      rendererDir: tempDir(),
      log: () => undefined,
    });
    expect(await first.ready).toBe(true);
    const invoke = invokeHandler();
    expect(await invoke(eventFrom(OUR_PAGE), 'clinic.status', {})).toEqual({
      ok: true,
      value: { state: 'new' },
    });
    const mismatch = await invoke(eventFrom(OUR_PAGE), 'clinic.setup', {
      passphrase: 'long enough words',
      confirm: 'other words',
    });
    expect(mismatch).toMatchObject({ ok: false, error: { field: 'confirm' } });
    const setup = (await invoke(eventFrom(OUR_PAGE), 'clinic.setup', {
      passphrase: 'long enough words',
      confirm: 'long enough words',
    })) as Reply<{ recoveryKey: string }>;
    expect(setup.ok && setup.value.recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    const file = keySlots.readKeyFile(dataDir)!;
    expect(file.slots.map((s) => s.type).sort()).toEqual(['keychain', 'passphrase', 'recovery']);
    const passSlot = file.slots.find((s) => s.type === 'passphrase') as { kdf: { N: number } };
    expect(passSlot.kdf.N).toBeGreaterThanOrEqual(2 ** 17);
    await quit();

    resetFakes();
    fake.state.userData = tempDir();
    const again = startApp({
      env: { NEEDLELOG_DATA_DIR: dataDir },
      rendererDir: tempDir(),
      log: () => undefined,
    });
    expect(await again.ready).toBe(true);
    expect(await invokeHandler()(eventFrom(OUR_PAGE), 'clinic.status', {})).toEqual({
      ok: true,
      value: { state: 'open' },
    });
  });
});

describe('IPC', () => {
  it('registers one invoke handler through which every contract channel reaches its handler', async () => {
    await started();
    expect(fake.electron.ipcMain.handle).toHaveBeenCalledTimes(1);
    const invoke = invokeHandler();
    await signIn();
    for (const channel of CHANNEL_NAMES) {
      // demo.load would start a background job; its own test below covers it.
      const input = channel === 'demo.load' ? { unexpected: true } : {};
      const reply = await invoke(eventFrom(OUR_PAGE), channel, input);
      const code = reply.ok ? 'ok' : reply.error.code;
      expect(['unknown_channel', 'forbidden', 'internal'], `${channel} → ${code}`).not.toContain(code);
    }
    expect(await invoke(eventFrom(OUR_PAGE), 'clients.drop', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await invoke(eventFrom(OUR_PAGE), 42, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
  });

  it('saves and reads back through the real services', async () => {
    await started();
    const invoke = invokeHandler();
    await signIn();
    const created = await invoke(eventFrom(OUR_PAGE), 'clients.create', {
      firstName: 'Ada',
      lastName: 'Byron',
    });
    expect(created.ok).toBe(true);
    const listed = await invoke(eventFrom(OUR_PAGE), 'clients.list', {});
    expect(listed).toMatchObject({ ok: true, value: { total: 1, items: [expect.objectContaining({})] } });
  });

  it('refuses calls from other origins, subframes, destroyed frames and other webContents', async () => {
    await started();
    const invoke = invokeHandler();
    await signIn();
    const forbidden = { ok: false, error: { code: 'forbidden' } };
    expect(await invoke(eventFrom('https://evil.example/'), 'clients.list', {})).toMatchObject(forbidden);
    expect(await invoke(eventFrom('file:///etc/passwd'), 'clients.list', {})).toMatchObject(forbidden);
    expect(await invoke(eventFrom('app://evil/index.html'), 'clients.list', {})).toMatchObject(forbidden);
    expect(
      await invoke(eventFrom(OUR_PAGE, { parent: { url: OUR_PAGE } }), 'clients.list', {}),
    ).toMatchObject(forbidden);
    expect(
      await invoke({ sender: ourWindow().webContents, senderFrame: null }, 'clients.list', {}),
    ).toMatchObject(forbidden);
    expect(
      await invoke(eventFrom(OUR_PAGE, { sender: new fake.FakeWebContents() }), 'clients.list', {}),
    ).toMatchObject(forbidden);
    // Nothing was written by a refused call.
    expect(
      await invoke(eventFrom('https://evil.example/'), 'clients.create', { firstName: 'Eve' }),
    ).toMatchObject(forbidden);
    expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({
      ok: true,
      value: { total: 0 },
    });
  });

  it('forwards job progress to the window', async () => {
    await started();
    const reply = await invokeHandler()(eventFrom(OUR_PAGE), 'demo.load', {});
    expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
    const send = ourWindow().webContents.send;
    await vi.waitFor(
      () => {
        const last = send.mock.calls.at(-1) as [string, ProgressEvent] | undefined;
        expect(last?.[0]).toBe(IPC_PROGRESS);
        expect(last?.[1].finished).toBe(true);
      },
      // The demo imports 40 photos: on a loaded machine that took 35 s (with or without the photo
      // worker pool, measured), past the 20 s this used to allow.
      { timeout: 110_000, interval: 20 },
    );
    expect(send.mock.calls.every(([channel]) => channel === IPC_PROGRESS)).toBe(true);
  });
});

describe('sign-in session', () => {
  it('belongs to the window: nothing but the sign-in channels answers before, everything after', async () => {
    await started();
    const invoke = invokeHandler();
    expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({
      ok: false,
      error: { code: 'sign_in_required' },
    });
    await signIn();
    expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({ ok: true });
  });

  for (const event of ['lock-screen', 'suspend'] as const) {
    it(`on the OS ${event}, asks the window to lock, then locks the session itself`, async () => {
      await started();
      const invoke = invokeHandler();
      await signIn();
      const send = ourWindow().webContents.send;
      send.mockClear();
      fake.electron.powerMonitor.emit(event);
      // The window is asked first, so it can save its drafts and lock itself…
      expect(send).toHaveBeenCalledWith(
        IPC_PROGRESS,
        expect.objectContaining({ jobId: LOCK_REQUEST_JOB_ID }),
      );
      expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({ ok: true });
      // …and after the grace period the main side locks whatever the window did.
      await vi.waitFor(
        async () =>
          expect(await invoke(eventFrom(OUR_PAGE), 'clients.list', {})).toMatchObject({
            ok: false,
            error: { code: 'sign_in_required', message: 'NeedleLog is locked. Unlock it with your PIN.' },
          }),
        { timeout: LOCK_GRACE_MS + 3_000, interval: 100 },
      );
      const unlocked = await invoke(eventFrom(OUR_PAGE), 'auth.unlock', { pin: TEST_PIN });
      expect(unlocked).toMatchObject({ ok: true, value: { state: 'signedIn' } });
    });
  }

  it('locks at once on resume', async () => {
    await started();
    const invoke = invokeHandler();
    await signIn();
    fake.electron.powerMonitor.emit('resume');
    expect(await invoke(eventFrom(OUR_PAGE), 'auth.status', {})).toMatchObject({
      ok: true,
      value: { state: 'locked' },
    });
  });
});

describe('navigation and windows', () => {
  it('prevents navigation and redirects away from our origin, and never opens windows', async () => {
    await started();
    const contents = ourWindow().webContents;
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = { preventDefault: vi.fn() };
      contents.emit(name, away, 'https://evil.example/');
      expect(away.preventDefault, name).toHaveBeenCalled();
      const fileUrl = { preventDefault: vi.fn() };
      contents.emit(name, fileUrl, 'file:///etc/passwd');
      expect(fileUrl.preventDefault, name).toHaveBeenCalled();
      const inside = { preventDefault: vi.fn() };
      contents.emit(name, inside, 'app://needlelog/index.html#/clients');
      expect(inside.preventDefault, name).not.toHaveBeenCalled();
    }

    const frameAway = { url: 'https://evil.example/', preventDefault: vi.fn() };
    contents.emit('will-frame-navigate', frameAway);
    expect(frameAway.preventDefault).toHaveBeenCalled();
    const frameInside = { url: 'app://needlelog/index.html', preventDefault: vi.fn() };
    contents.emit('will-frame-navigate', frameInside);
    expect(frameInside.preventDefault).not.toHaveBeenCalled();

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();

    const open = contents.openHandler;
    expect(open).toBeTypeOf('function');
    expect(open?.({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/help');
    fake.electron.shell.openExternal.mockClear();
    expect(open?.({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'app://needlelog/index.html' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('openExternal passes https URLs only', async () => {
    expect(await security.openExternal('https://example.com/a?b=c')).toBe(true);
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/a?b=c');
    fake.electron.shell.openExternal.mockClear();
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'https://user:secret@example.com/',
      'not a url',
      42,
      undefined,
    ]) {
      expect(await security.openExternal(url), String(url)).toBe(false);
    }
    expect(fake.electron.shell.openExternal).not.toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('allows only the camera, only for our own page', async () => {
    await started();
    const request = fake.state.permissionRequest;
    const check = fake.state.permissionCheck;
    if (!request || !check) throw new Error('permission handlers not installed');
    const contents = ourWindow().webContents;

    const ask = (permission: string, details: Record<string, unknown>) => {
      let granted: boolean | undefined;
      request(contents, permission, (g: boolean) => (granted = g), { isMainFrame: true, ...details });
      return granted;
    };
    expect(ask('media', { requestingUrl: OUR_PAGE, mediaTypes: ['video'] })).toBe(true);
    expect(ask('media', { requestingUrl: OUR_PAGE, mediaTypes: ['audio'] })).toBe(false);
    expect(ask('media', { requestingUrl: OUR_PAGE, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(ask('media', { requestingUrl: OUR_PAGE, mediaTypes: [] })).toBe(false);
    expect(ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', { requestingUrl: OUR_PAGE, mediaTypes: ['video'], isMainFrame: false })).toBe(false);
    for (const other of [
      'geolocation',
      'notifications',
      'clipboard-read',
      'display-capture',
      'openExternal',
    ]) {
      expect(ask(other, { requestingUrl: OUR_PAGE }), other).toBe(false);
    }

    expect(check(contents, 'media', 'app://needlelog', { mediaType: 'video', isMainFrame: true })).toBe(true);
    expect(check(contents, 'media', 'app://needlelog', { mediaType: 'audio', isMainFrame: true })).toBe(
      false,
    );
    expect(check(contents, 'media', 'https://evil.example', { mediaType: 'video', isMainFrame: true })).toBe(
      false,
    );
    expect(check(contents, 'clipboard-read', 'app://needlelog', { isMainFrame: true })).toBe(false);
    expect(check(null, 'geolocation', 'app://needlelog', { isMainFrame: true })).toBe(false);
    expect(fake.state.devicePermission?.({})).toBe(false);
  });
});

describe('app protocol', () => {
  function renderer() {
    const base = tempDir();
    const root = path.join(base, 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>NeedleLog</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'PATIENT-DATA');
    fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
    return root;
  }
  const get = (handler: (r: Request) => Promise<Response>, url: string, method = 'GET') =>
    handler(new Request(url, { method }));

  it('serves the renderer with MIME types and the CSP on every response', async () => {
    const handler = createAppProtocolHandler(renderer());
    const index = await get(handler, 'app://needlelog/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>NeedleLog</title>');
    expect((await get(handler, 'app://needlelog/assets/app.js')).headers.get('content-type')).toMatch(
      /^text\/javascript/,
    );
    expect((await get(handler, 'app://needlelog/assets/app.css')).headers.get('content-type')).toMatch(
      /^text\/css/,
    );
    expect(await (await get(handler, 'app://needlelog/')).text()).toContain('NeedleLog');
    // Client-side routes fall back to the page; missing assets do not.
    expect((await get(handler, 'app://needlelog/clients/123')).status).toBe(200);
    expect((await get(handler, 'app://needlelog/assets/missing.js')).status).toBe(404);

    for (const url of ['app://needlelog/index.html', 'app://needlelog/nope.js', 'app://needlelog/%2e%2e/x']) {
      const response = await get(handler, url);
      expect(response.headers.get('content-security-policy'), url).toBe(security.CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(security.CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(security.CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
  });

  it('refuses path traversal, other hosts and other methods', async () => {
    const handler = createAppProtocolHandler(renderer());
    for (const url of [
      'app://needlelog/../secret.txt',
      'app://needlelog/%2e%2e/secret.txt',
      'app://needlelog/assets/%2e%2e/%2e%2e/secret.txt',
      'app://needlelog/..%2fsecret.txt',
      'app://needlelog/..%5csecret.txt',
      'app://needlelog/assets/link.txt',
      'app://needlelog/%00index.html',
      'app://needlelog/%E0%A4%A',
      'app://evil/index.html',
    ]) {
      const response = await get(handler, url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('PATIENT-DATA');
    }
    expect((await get(handler, 'app://needlelog/index.html', 'POST')).status).toBe(405);
  });

  it('is the handler startApp registers for the app scheme', async () => {
    const root = renderer();
    fake.state.userData = tempDir();
    const handle = startApp({
      env: { NEEDLELOG_DATA_DIR: tempDir() },
      rendererDir: root,
      log: () => undefined,
    });
    await handle.ready;
    const handler = fake.state.protocolHandlers.get('app');
    if (!handler) throw new Error('app protocol not registered');
    expect((await handler(new Request(OUR_PAGE))).status).toBe(200);
    const traversal = await handler(new Request('app://needlelog/..%2fsecret.txt'));
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).not.toContain('PATIENT-DATA');
  });
});

describe('menu', () => {
  const roles = (items: ReturnType<typeof menuTemplate>): string[] =>
    items.flatMap((item) => [
      ...(item.role ? [String(item.role)] : []),
      ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
    ]);

  it('uses standard roles and offers developer tools only when not packaged', () => {
    const dev = roles(menuTemplate('linux', false));
    expect(dev).toEqual(
      expect.arrayContaining(['fileMenu', 'quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
    expect(dev).toEqual(
      expect.arrayContaining(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
    );
    expect(dev).toContain('toggleDevTools');
    expect(roles(menuTemplate('linux', true))).not.toContain('toggleDevTools');
    expect(roles(menuTemplate('darwin', true))).toContain('appMenu');
    expect(roles(menuTemplate('win32', true))).not.toContain('appMenu');
  });
});

describe('photo protocol', () => {
  it('serves only a known photo id and size, never a path from the URL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-photo-proto-'));
    const file = path.join(dir, 'a.jpg');
    fs.writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const id = '01900000-0000-7000-8000-000000000001';
    const asked: string[] = [];
    const handler = createPhotoProtocolHandler((photoId, variant) => {
      asked.push(`${photoId}/${variant}`);
      return Promise.resolve(photoId === id && variant === 'thumb' ? fs.readFileSync(file) : null);
    });
    const ok = await handler(new Request(`needlelog-photo://photo/${id}/thumb`));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    expect(ok.headers.get('cache-control')).toBe('no-store');
    for (const url of [
      `needlelog-photo://photo/${id}/full`,
      'needlelog-photo://photo/..%2f..%2fneedlelog.sqlite/thumb',
      `needlelog-photo://photo/${id}/../../etc/passwd`,
      `needlelog-photo://elsewhere/${id}/thumb`,
      'needlelog-photo://photo/not-an-id/thumb',
    ]) {
      expect((await handler(new Request(url))).status, url).toBe(404);
    }
    // Only well-formed ids ever reached the database look-up.
    expect(asked.every((a) => /^[0-9a-f-]{36}\/(full|preview|thumb)$/.test(a))).toBe(true);
  });
});
