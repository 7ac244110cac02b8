import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/*
 * Durable writes: a file is whole or absent, never half, and once a call returns it survives a
 * crash. The writes of photos and backups are asynchronous so that the main process (and with it
 * the window) keeps answering while the disk works.
 */

/** Flushes a file's bytes to the disk. */
export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or a new name in `dir` durable (Linux/macOS; Windows cannot open a folder for it). */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

async function fsyncDirAsync(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const tempNameFor = (file: string) =>
  path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);

/** Temp file, fsync, rename, fsync the folder. */
export async function writeFileDurably(file: string, bytes: Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = tempNameFor(file);
  try {
    const handle = await fs.promises.open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(tmp, file);
  } catch (err) {
    // A full disk or a failing write leaves no half file behind, under either name.
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDirAsync(dir);
}

/** Copies a file so that the copy is whole or absent (temp name, fsync, rename, fsync the folder). */
export async function copyFileDurably(from: string, to: string): Promise<void> {
  const dir = path.dirname(to);
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = tempNameFor(to);
  await fs.promises.copyFile(from, tmp);
  const handle = await fs.promises.open(tmp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, to);
  await fsyncDirAsync(dir);
}
