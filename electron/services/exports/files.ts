import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Progress of an export or import step, as the jobs forward it. */
export type ExportProgress = (p: { done: number; total: number; label: string }) => void;

async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `file` whole or not at all: `write` fills a temporary file next to it, which is synced
 * and renamed into place. A failed write leaves no partial file behind.
 */
export async function finishFile(file: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.partial`);
  try {
    await write(tmp);
    await syncFile(tmp);
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** The default folder for exports: <data-dir>/exports. */
export function exportsDir(dataDir: string): string {
  return path.join(dataDir, 'exports');
}
