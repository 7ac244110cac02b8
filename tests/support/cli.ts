import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve('bin/needlelog.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `needlelog` CLI in a child process (without NEEDLELOG_DATA_DIR) and returns its exit code and output. */
export async function needlelog(...args: string[]): Promise<CliResult> {
  return needlelogWith({}, ...args);
}

/** As `needlelog`, signed in: `--as NAME` with the PIN in NEEDLELOG_PIN, as a script would. */
export function needlelogAs(who: { name: string; pin: string }, ...args: string[]): Promise<CliResult> {
  return needlelogWith({ NEEDLELOG_PIN: who.pin }, ...args, '--as', who.name);
}

/** The demo clinic's manager, as `needlelog demo` prints her. */
export const DEMO_MANAGER = { name: 'Dr Aisha Rahman', pin: '246810' };

export async function needlelogWith(extraEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
  const env = { ...process.env, ...extraEnv };
  delete env.NEEDLELOG_DATA_DIR;
  if (!('NEEDLELOG_PIN' in extraEnv)) delete env.NEEDLELOG_PIN;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
