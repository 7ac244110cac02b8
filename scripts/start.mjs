#!/usr/bin/env node
// `npm start`: build, then run NeedleLog in Electron; where the Electron binary is not installed,
// say so in one line and run the browser host instead. `npm run web` (--web) goes straight to the
// browser host. Other arguments (--data-dir DIR, --port N, --no-open) are passed on.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'package.json'));

/**
 * Where the Electron binary is, or null when it is not installed. This reads what the electron
 * package's installer leaves behind (path.txt + dist/) instead of `require('electron')`, which
 * would try to download the binary from Electron's release host when it is missing.
 */
export function electronBinary(env = process.env) {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  if (!relative) return null;
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : path.join(pkgDir, 'dist', relative);
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    return fs.statSync(binary).isFile() ? binary : null;
  } catch {
    return null;
  }
}

const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';

/**
 * better-sqlite3-multiple-ciphers (SQLite with encryption) in node_modules is built for Node: the
 * tests and the CLI run there. Electron needs its own ABI, so a private copy is rebuilt for it once
 * per Electron and module version under .cache/electron-native/, and its path is handed to the
 * app (NEEDLELOG_SQLITE_BINDING). node_modules is never touched. Packaged apps get theirs from electron-builder instead.
 */
export function electronSqliteBinding(electronVersion) {
  const sqliteDir = path.dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json'));
  const sqliteVersion = JSON.parse(fs.readFileSync(path.join(sqliteDir, 'package.json'), 'utf8')).version;
  const dir = path.join(
    repo,
    '.cache',
    'electron-native',
    `electron-${electronVersion}-${SQLITE_PACKAGE}-${sqliteVersion}`,
  );
  const binding = path.join(dir, 'node_modules', SQLITE_PACKAGE, 'build', 'Release', 'better_sqlite3.node');
  if (fs.existsSync(binding)) return binding;
  console.log(
    `NeedleLog: building ${SQLITE_PACKAGE} for Electron ${electronVersion} (once; this takes a few minutes)…`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.cpSync(sqliteDir, path.join(dir, 'node_modules', SQLITE_PACKAGE), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}build${path.sep}`),
  });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'needlelog-electron-native',
      private: true,
      dependencies: { [SQLITE_PACKAGE]: sqliteVersion },
    }),
  );
  const cli = require.resolve('@electron/rebuild/lib/cli.js');
  const args = [cli, '--version', electronVersion, '--module-dir', dir, '--only', SQLITE_PACKAGE, '--force'];
  const result = spawnSync(process.execPath, args, { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0 || !fs.existsSync(binding)) {
    console.error(
      `NeedleLog: could not build ${SQLITE_PACKAGE} for Electron (it needs Electron headers from the network).`,
    );
    return null;
  }
  return binding;
}

function parseArgs(argv) {
  const rest = [];
  let web = false;
  let dataDir;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--web') web = true;
    else if (arg === '--data-dir') {
      dataDir = argv[i + 1];
      rest.push(arg, argv[i + 1]);
      i += 1;
    } else if (arg.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length);
      rest.push(arg);
    } else rest.push(arg);
  }
  return { web, dataDir, rest };
}

function build() {
  // `npm run build`, through the npm that runs us when there is one.
  const npmCli = process.env.npm_execpath;
  const result = npmCli
    ? spawnSync(process.execPath, [npmCli, 'run', 'build'], { cwd: repo, stdio: 'inherit' })
    : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
        cwd: repo,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs a child with inherited stdio, forwards SIGINT/SIGTERM, and exits with its code. */
function runChild(command, args, env) {
  const child = spawn(command, args, { cwd: repo, stdio: 'inherit', env });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`NeedleLog: could not start ${command}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      const numbers = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9 };
      process.exit(128 + (numbers[signal] ?? 1));
    }
    process.exit(code ?? 0);
  });
}

function main() {
  const { web, dataDir, rest } = parseArgs(process.argv.slice(2));
  build();

  const env = { ...process.env };
  // A leftover ELECTRON_RUN_AS_NODE would turn Electron into plain Node.
  delete env.ELECTRON_RUN_AS_NODE;

  const binary = web ? null : electronBinary(env);
  const binding = binary
    ? electronSqliteBinding(
        JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version,
      )
    : null;
  if (binary && binding) {
    // The Electron main process takes its data directory and SQLite binding from the environment.
    if (dataDir) env.NEEDLELOG_DATA_DIR = path.resolve(dataDir);
    env.NEEDLELOG_SQLITE_BINDING = binding;
    runChild(binary, ['.'], env);
    return;
  }
  if (!web) {
    console.log(
      binary
        ? 'NeedleLog: Electron is installed but its SQLite module could not be built; starting the browser host instead.'
        : "NeedleLog: the Electron binary is not installed on this machine (it is downloaded from Electron's release host, which is unreachable); starting the browser host instead.",
    );
  }
  runChild(process.execPath, [path.join(repo, 'bin', 'needlelog.mjs'), 'web', ...rest], env);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
