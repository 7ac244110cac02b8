import os from 'node:os';
import path from 'node:path';

const APP_DIR_NAME = 'NeedleLog';

/** Where Electron's `app.getPath('userData')` points for NeedleLog, computed without Electron. */
function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  const home = os.homedir();
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** `--data-dir` wins, then NEEDLELOG_DATA_DIR, then the per-user app-data folder. */
export function resolveDataDir(
  flag: string | undefined,
  env = process.env,
  fallback = defaultUserDataDir(),
): string {
  // An empty value counts as unset: it must never quietly mean "the current directory".
  const chosen = [flag, env.NEEDLELOG_DATA_DIR].find((v) => v !== undefined && v.trim() !== '') ?? fallback;
  return path.resolve(chosen);
}
