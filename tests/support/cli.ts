import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_PASSPHRASE } from './clinic.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/needlelog.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `needlelog` CLI in a child process (without NEEDLELOG_DATA_DIR, with the test
 * clinics' passphrase in NEEDLELOG_PASSPHRASE) and returns its exit code and output.
 */
export async function needlelog(...args: string[]): Promise<CliResult> {
  return needlelogWith({ NEEDLELOG_PASSPHRASE: TEST_PASSPHRASE }, ...args);
}

/** As `needlelog`, signed in: `--as NAME` with the PIN in NEEDLELOG_PIN, as a script would. */
export function needlelogAs(who: { name: string; pin: string }, ...args: string[]): Promise<CliResult> {
  return needlelogWith(
    { NEEDLELOG_PASSPHRASE: TEST_PASSPHRASE, NEEDLELOG_PIN: who.pin },
    ...args,
    '--as',
    who.name,
  );
}

/** The demo clinic's manager, as `needlelog demo` prints her. */
export const DEMO_MANAGER = { name: 'Dr Aisha Rahman', pin: '246810' };

/** The same with these environment variables (undefined: unset). */
export async function needlelogWith(
  vars: Record<string, string | undefined>,
  ...args: string[]
): Promise<CliResult> {
  const env = { ...process.env };
  delete env.NEEDLELOG_DATA_DIR;
  delete env.NEEDLELOG_PASSPHRASE;
  delete env.NEEDLELOG_PIN;
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
