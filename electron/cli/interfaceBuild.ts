import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * `needlelog web` right after `npm install` finds no built interface (out/ is not in git): it
 * builds it then, once, instead of serving a page that says to build it. Building at install time
 * (an npm `prepare` script) would slow every `npm ci` in CI, which builds anyway; here only the
 * first `web` pays.
 */

interface BuildCommand {
  command: string;
  args: string[];
  cwd: string;
}

type Out = (line: string) => void;

/** `electron-vite build` from the repository's own dev dependencies; null where they are not installed. */
export function interfaceBuildCommand(repoRoot: string): BuildCommand | null {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  try {
    const pkgFile = require.resolve('electron-vite/package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(path.dirname(pkgFile), pkg.bin['electron-vite'] as string);
    return fs.existsSync(bin) ? { command: process.execPath, args: [bin, 'build'], cwd: repoRoot } : null;
  } catch {
    return null;
  }
}

/** How often a long build says it is still going. */
const STILL_BUILDING_MS = 15_000;

/**
 * Makes sure `rendererDir` holds a built interface, building it with `build` when it does not.
 * Returns false, after saying why in plain words, when there is none and it cannot be built.
 */
export async function ensureInterfaceBuilt(
  rendererDir: string,
  build: BuildCommand | null,
  out: Out,
  err: Out,
): Promise<boolean> {
  const index = path.join(rendererDir, 'index.html');
  if (fs.existsSync(index)) return true;
  if (!build) {
    err(
      `NeedleLog's interface is not built (no ${index}) and the build tools are not installed here: run "npm install", then "npm run build".`,
    );
    return false;
  }
  out("Building NeedleLog's interface for this first run (once; this can take a minute)…");
  const started = Date.now();
  const ticker = setInterval(
    () => out(`  still building (${Math.round((Date.now() - started) / 1000)} s)…`),
    STILL_BUILDING_MS,
  );
  let result: { code: number | null; output: string };
  try {
    result = await run(build);
  } finally {
    clearInterval(ticker);
  }
  if (result.code === 0 && fs.existsSync(index)) {
    out(`Interface built in ${Math.round((Date.now() - started) / 1000)} s.`);
    return true;
  }
  const tail = result.output.trim().split('\n').slice(-20).join('\n');
  err(`NeedleLog's interface could not be built; run "npm run build" to see why.${tail ? `\n${tail}` : ''}`);
  return false;
}

/** Runs the build quietly: its output is shown only when it fails. */
function run(build: BuildCommand): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(build.command, build.args, { cwd: build.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => resolve({ code: null, output: e.message }));
    child.on('close', (code) => resolve({ code, output }));
  });
}
