import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The one line `needlelog web` prints: the address with the per-launch token in its fragment. */
const URL_LINE = /(http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+))/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface WebHost {
  /** `http://127.0.0.1:PORT/#token=…`, exactly as printed. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** Everything the CLI wrote so far, for failure messages. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then wait: resolves with the exit code (or the signal name if it died of one). */
  stop(): Promise<number | string>;
}

/** The passphrase of the e2e clinics; given to the CLI, which then sets the clinic up at start. */
export const E2E_PASSPHRASE = 'e2e clinic passphrase';

/**
 * Starts the real CLI, `node bin/needlelog.mjs web --no-open --data-dir <fresh temp dir> --port 0`,
 * and reads the printed URL line from its stdout. Builds nothing: out/renderer must exist.
 * With `locked`, no passphrase is given, so the page itself must set up or unlock the clinic;
 * `dataDir` reuses a data folder (it is then not removed on stop).
 */
export async function startWebHost(options: { locked?: boolean; dataDir?: string } = {}): Promise<WebHost> {
  const index = path.join(repoRoot, 'out', 'renderer', 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`${index} is missing: run \`npx electron-vite build\` before the e2e tests.`);
  }
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-e2e-'));
  const env = { ...process.env };
  delete env.NEEDLELOG_DATA_DIR;
  // The machine's locale, which the clinic's dates follow until a format is chosen: British, like
  // the browser's (playwright.config.ts), whatever the machine running the tests uses.
  env.LC_ALL = 'en_GB.UTF-8';
  delete env.NEEDLELOG_PASSPHRASE;
  if (!options.locked) env.NEEDLELOG_PASSPHRASE = E2E_PASSPHRASE;
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'needlelog.mjs'), 'web', '--no-open', '--data-dir', dataDir, '--port', '0'],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  let match: RegExpExecArray;
  try {
    match = await waitForUrl(child, () => stdout, exited);
  } catch (err) {
    child.kill('SIGKILL');
    if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\nstdout:\n${stdout}\nstderr:\n${stderr}`, { cause: err });
  }
  const url = match[1] as string;

  let stopping: Promise<number | string> | undefined;
  return {
    url,
    origin: new URL(url).origin,
    token: match[3] as string,
    dataDir,
    output: () => ({ stdout, stderr }),
    stop() {
      stopping ??= (async () => {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const result = await exited;
        clearTimeout(timer);
        if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
        return result;
      })();
      return stopping;
    },
  };
}

function waitForUrl(
  child: ChildProcess,
  stdout: () => string,
  exited: Promise<number | string>,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`needlelog web printed no URL within ${START_TIMEOUT_MS} ms.`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const m = URL_LINE.exec(stdout());
      if (m) {
        cleanup();
        resolve(m);
      }
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      cleanup();
      reject(new Error(`needlelog web exited (${code}) before printing its URL.`));
    });
    check();
  });
}
