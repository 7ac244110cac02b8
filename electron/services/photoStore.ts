import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from './durableFiles.js';

export type PhotoVariant = 'full' | 'preview' | 'thumb';
export const PHOTO_VARIANTS: readonly PhotoVariant[] = ['full', 'preview', 'thumb'];

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Content-addressed photo files under <data-dir>/photos: `full/ab/<sha>.jpg`, with the thumbnail
 * and preview under `thumb/` and `preview/` by the same name. A name is only ever built from a
 * hash we computed, so no request can steer a path outside the folder.
 */
export function photoStore(dataDir: string) {
  const root = path.join(dataDir, 'photos');

  function pathOf(sha256: string, variant: PhotoVariant): string {
    if (!SHA256.test(sha256)) throw new Error('not a photo hash');
    return path.join(root, variant, sha256.slice(0, 2), `${sha256}.jpg`);
  }

  return {
    root,
    pathOf,

    /**
     * Stores the three variants unless the same photo is already there (same bytes, same hash).
     * The one place photo bytes reach the disk: the pipeline (photoWorkers.ts) only returns buffers.
     */
    async put(sha256: string, files: Record<PhotoVariant, Buffer>): Promise<void> {
      for (const variant of PHOTO_VARIANTS) {
        const file = pathOf(sha256, variant);
        if (!fs.existsSync(file)) await writeFileDurably(file, files[variant]);
      }
    },

    has(sha256: string): boolean {
      return PHOTO_VARIANTS.every((v) => fs.existsSync(pathOf(sha256, v)));
    },

    /** Every stored full-size photo hash, for the consistency check. */
    listHashes(): string[] {
      const dir = path.join(root, 'full');
      if (!fs.existsSync(dir)) return [];
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => fs.readdirSync(path.join(dir, d.name)))
        .filter((n) => n.endsWith('.jpg'))
        .map((n) => n.slice(0, -4))
        .filter((n) => SHA256.test(n));
    },
  };
}

export type PhotoStore = ReturnType<typeof photoStore>;
