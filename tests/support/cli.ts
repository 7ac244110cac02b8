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
  const env = { ...process.env };
  delete env.NEEDLELOG_DATA_DIR;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
