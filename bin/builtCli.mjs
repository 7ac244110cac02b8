// Whether `needlelog web` can start from the built CLI (out/main/cli.js, made by `npm run build`)
// instead of transpiling the TypeScript sources through tsx at every start.
import fs from 'node:fs';
import path from 'node:path';

/** What the built CLI is made from: a file here changed after the build means the build is stale. */
const SOURCES = ['electron', 'db', 'contract', 'charts'];

/** Whether any file under `dir` was changed after `time` (ms). */
function changedSince(dir, time) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() ? changedSince(file, time) : fs.statSync(file).mtimeMs > time) return true;
  }
  return false;
}

/** The built CLI of the repository at `repo` when it is there and no source is newer, else null. */
export function currentBuild(repo) {
  const built = path.join(repo, 'out', 'main', 'cli.js');
  let builtAt;
  try {
    builtAt = fs.statSync(built).mtimeMs;
  } catch {
    return null;
  }
  const stale = SOURCES.map((dir) => path.join(repo, dir)).some(
    (dir) => fs.existsSync(dir) && changedSince(dir, builtAt),
  );
  return stale ? null : built;
}
