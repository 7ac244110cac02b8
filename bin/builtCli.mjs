// Whether `needlelog web` can start from the built CLI (out/main/cli.js, made by `npm run build`)
// instead of transpiling the TypeScript sources through tsx at every start.
import fs from 'node:fs';
import path from 'node:path';

/** What the built CLI is made from: a file here changed after the build began means it is stale. */
const SOURCES = ['electron', 'db', 'contract', 'charts'];
/** And what decides how it is built: the dependencies (bundled into it) and the build's settings. */
const BUILD_FILES = /^(package(-lock)?\.json|electron\.vite\.config\.ts|tsconfig.*\.json)$/;

/** Whether any file under `dir` was changed after `time` (ms). */
function changedSince(dir, time) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(file, time) : fs.statSync(file).mtimeMs > time) return true;
  }
  return false;
}

/**
 * The built CLI of the repository at `repo` when it is there and nothing it is made from changed
 * since its build began (out/main/build-started, written by the build), else null.
 */
export function currentBuild(repo) {
  const built = path.join(repo, 'out', 'main', 'cli.js');
  let builtAt;
  try {
    fs.statSync(built);
    builtAt = Number(fs.readFileSync(path.join(repo, 'out', 'main', 'build-started'), 'utf8'));
  } catch {
    return null;
  }
  if (!Number.isFinite(builtAt) || builtAt <= 0) return null;
  const buildFiles = fs
    .readdirSync(repo)
    .filter((name) => BUILD_FILES.test(name))
    .some((name) => fs.statSync(path.join(repo, name)).mtimeMs > builtAt);
  const stale =
    buildFiles ||
    SOURCES.map((dir) => path.join(repo, dir)).some(
      (dir) => fs.existsSync(dir) && changedSince(dir, builtAt),
    );
  return stale ? null : built;
}
