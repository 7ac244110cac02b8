import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { chromium, expect, test, type Browser } from '@playwright/test';

// Smoke test of the packaged app that `npm run dist -- --dir` leaves in dist/<platform>-unpacked/.
// It runs only where that app exists: packaging downloads Electron's binaries, which this build
// machine and its CI cannot do.
//
// Playwright's `_electron.launch` cannot drive the packaged app: it attaches through Node's
// `--inspect`, which the EnableNodeCliInspectArguments fuse turns off (Playwright's Electron docs,
// "Known issues"). So the test starts the shipped binary itself, with Chromium's
// `--remote-debugging-port` (not a Node option, so not fused off), and attaches with
// `chromium.connectOverCDP`.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(repo, 'dist');

/** The packaged app's executable for this OS, or null when none has been packaged. */
function packagedExecutable(): string | null {
  const candidates =
    process.platform === 'win32'
      ? [
          path.join(dist, 'win-unpacked', 'NeedleLog.exe'),
          path.join(dist, 'win-arm64-unpacked', 'NeedleLog.exe'),
        ]
      : process.platform === 'darwin'
        ? ['mac', 'mac-arm64', 'mac-universal'].map((d) =>
            path.join(dist, d, 'NeedleLog.app', 'Contents', 'MacOS', 'NeedleLog'),
          )
        : ['linux-unpacked', 'linux-arm64-unpacked'].map((d) => path.join(dist, d, 'needlelog'));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return null;
}

const executable = packagedExecutable();

// @electron/fuses' FuseState values (the enum is not exported): the ASCII bytes '0' and '1' of the wire.
const DISABLE = 48;
const ENABLE = 49;

/** Starts the app and resolves with the DevTools WebSocket URL it prints on stderr. */
function launch(binary: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; wsUrl: string }> {
  const args = ['--remote-debugging-port=0'];
  if (process.platform === 'linux' && (process.getuid?.() === 0 || process.env.CI)) args.push('--no-sandbox');
  const child = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the packaged app printed no DevTools URL within 30 s:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, wsUrl: match[1]! });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the packaged app exited early (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

test.describe('packaged app', () => {
  test.skip(
    executable === null,
    'No packaged app in dist/ (run `npm run dist -- --dir` first). Packaging needs the Electron binaries, ' +
      "which are downloaded from Electron's release host and cannot be fetched on this machine or in its CI; " +
      'the static packaging checks run in tests/unit/packaging.test.ts.',
  );

  let dataDir = '';
  let child: ChildProcess | null = null;
  let browser: Browser | null = null;
  test.beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-packaged-e2e-'));
  });
  test.afterEach(async () => {
    await browser?.close().catch(() => undefined);
    browser = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill();
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    child = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('ships with the fuses flipped', async () => {
    const wire = await getCurrentFuseWire(executable!);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
  });

  test('opens its window on the app and creates its database in the data folder', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NEEDLELOG_DATA_DIR: dataDir };
    delete env.ELECTRON_RUN_AS_NODE;
    const launched = await launch(executable!, env);
    child = launched.child;
    browser = await chromium.connectOverCDP(launched.wsUrl);

    const context = browser.contexts()[0]!;
    const window =
      context.pages().find((p) => p.url().startsWith('app://')) ?? (await context.waitForEvent('page'));
    await expect(window).toHaveURL(/^app:\/\/needlelog\//);
    await expect(window.locator('body')).not.toBeEmpty();
    // The sandboxed page sees only the bridge.
    expect(
      await window.evaluate(() =>
        Object.keys((globalThis as unknown as { needlelog: object }).needlelog).sort(),
      ),
    ).toEqual(['invoke', 'onProgress']);
    await window.screenshot({ path: test.info().outputPath('packaged-window.png') });

    // better-sqlite3-multiple-ciphers, rebuilt for Electron and unpacked from the asar, opened the database.
    await expect.poll(() => fs.existsSync(path.join(dataDir, 'needlelog.sqlite'))).toBe(true);
  });
});
