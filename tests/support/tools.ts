import fs from 'node:fs';
import path from 'node:path';

/** Whether `tool` is an executable file on PATH (found without running it). */
export function onPath(tool: string, searchPath = process.env.PATH ?? ''): boolean {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        fs.accessSync(path.join(dir, tool), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * Whether the Debian tools a test file needs are installed. On a developer's machine a missing tool
 * skips those tests with a warning; under CI=true it is an error, because .ci/run installs every one
 * of them and a skip there would pass a run that checked nothing.
 */
export function debianTools(
  tools: string[],
  debianPackage: string,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  const missing = tools.filter((tool) => !onPath(tool, env.PATH));
  if (missing.length === 0) return true;
  const message = `${missing.join(', ')} not found (Debian package ${debianPackage}, which .ci/run installs)`;
  if (env.CI === 'true')
    throw new Error(`${message}: under CI=true the tests that need it fail, never skip.`);
  console.warn(`${message}: the tests that need it are skipped. Install ${debianPackage} to run them.`);
  return false;
}
