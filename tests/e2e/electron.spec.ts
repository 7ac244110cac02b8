import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary, electronSqliteBinding } from '../../scripts/start.mjs';

// The same practitioner flow as browser.spec.ts, in the real Electron app (out/ built by
// `npm run build`). `_electron` launches the Electron binary directly and does not use the
// Chromium project of playwright.config.ts.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const binary = electronBinary();

test.describe('Electron app', () => {
  test.skip(
    binary === null,
    "Electron binary not installed on this machine (downloaded from Electron's release host, which is unreachable here); the same flow runs in Chromium through the browser host in browser.spec.ts",
  );

  let dataDir = '';
  test.beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-electron-e2e-'));
  });
  test.afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('creates a client through the UI, and it is still there after a reload', async () => {
    const testInfo = test.info();
    expect(fs.existsSync(path.join(repo, 'out', 'main', 'index.js')), 'run `npm run build` first').toBe(true);

    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    delete env.ELECTRON_RUN_AS_NODE;
    env.NEEDLELOG_DATA_DIR = dataDir;
    // The app's SQLite module must match Electron's ABI, not Node's (see scripts/start.mjs).
    const electronVersion = (
      createRequire(path.join(repo, 'package.json'))('electron/package.json') as { version: string }
    ).version;
    const binding = electronSqliteBinding(electronVersion);
    expect(binding, 'better-sqlite3-multiple-ciphers could not be built for Electron').not.toBeNull();
    env.NEEDLELOG_SQLITE_BINDING = binding ?? '';

    const app = await electron.launch({ executablePath: binary ?? undefined, args: [repo], cwd: repo, env });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveURL(/^app:\/\/needlelog\//);

      // The page is sandboxed: only the two-function bridge, no Node.
      expect(
        await window.evaluate(() =>
          Object.keys((globalThis as unknown as { needlelog: object }).needlelog).sort(),
        ),
      ).toEqual(['invoke', 'onProgress']);
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );

      await window.getByRole('button', { name: 'New client' }).click();
      await window.getByLabel('First name').fill('Ada');
      await window.getByLabel('Last name').fill('Electronfield');
      await window.getByRole('button', { name: 'Save client' }).click();
      await expect(window.getByText(/Electronfield/).first()).toBeVisible();
      await window.screenshot({ path: testInfo.outputPath('electron-client-saved.png') });

      await window.reload();
      await expect(window.getByText(/Electronfield/).first()).toBeVisible();
    } finally {
      await app.close();
    }

    // The app wrote to the data directory it was given.
    expect(fs.existsSync(path.join(dataDir, 'needlelog.sqlite'))).toBe(true);
  });
});
