import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from './durableFiles.js';

export type PhotoVariant = 'full' | 'preview' | 'thumb';
export const PHOTO_VARIANTS: readonly PhotoVariant[] = ['full', 'preview', 'thumb'];

const FILE_ID = /^[0-9a-f]{32}$/;
const SHA256 = /^[0-9a-f]{64}$/;
/** "NLP1": a NeedleLog sealed photo, format 1. */
const MAGIC = Buffer.from('NLP1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PHOTO_KEY_BYTES = 32;
const SUFFIX = '.nlp';

/** A stored photo file did not decrypt: it was damaged or does not belong to this record. */
export class SealedPhotoError extends Error {
  constructor(message = 'A stored photo file is damaged or does not belong to this record.') {
    super(message);
    this.name = 'SealedPhotoError';
  }
}

/**
 * Each size is sealed with AES-256-GCM under the photo's own random key (kept in the encrypted
 * database), bound to its file id and size so files cannot be swapped unnoticed.
 */
function sealPhoto(key: Buffer, fileId: string, variant: PhotoVariant, plain: Buffer): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${fileId}/${variant}`, 'latin1'));
  return Buffer.concat([MAGIC, iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

export function openSealedPhoto(key: Buffer, fileId: string, variant: PhotoVariant, sealed: Buffer): Buffer {
  if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC))
    throw new SealedPhotoError();
  const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(`${fileId}/${variant}`, 'latin1'));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(sealed.subarray(MAGIC.length + IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new SealedPhotoError();
  }
}

export interface PhotoFileRef {
  fileId: string;
  fileKey: Buffer;
}

/**
 * Encrypted photo files under <data-dir>/photos: `full/ab/<file id>.nlp`, with the preview and
 * thumbnail under `preview/` and `thumb/` by the same name. A file id is random (it says nothing
 * of the content: equal photos get unrelated names) and a name is only ever built from one we made,
 * so no request can steer a path outside the folder. Plain JPEG bytes live only in memory.
 */
export function photoStore(dataDir: string) {
  const root = path.join(dataDir, 'photos');

  function pathOf(fileId: string, variant: PhotoVariant): string {
    if (!FILE_ID.test(fileId)) throw new Error('not a photo file id');
    return path.join(root, variant, fileId.slice(0, 2), `${fileId}${SUFFIX}`);
  }

  /** Where a photo stored before encryption sits (named by its SHA-256); only the upgrade reads these. */
  function legacyPathOf(sha256: string, variant: PhotoVariant): string {
    if (!SHA256.test(sha256)) throw new Error('not a photo hash');
    return path.join(root, variant, sha256.slice(0, 2), `${sha256}.jpg`);
  }

  const listNames = (suffix: string) => {
    const dir = path.join(root, 'full');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => fs.readdirSync(path.join(dir, d.name)))
      .filter((n) => n.endsWith(suffix))
      .map((n) => n.slice(0, -suffix.length));
  };

  return {
    root,
    pathOf,
    legacyPathOf,

    /** A fresh file id and key for a photo about to be stored. */
    newRef(): PhotoFileRef {
      return { fileId: crypto.randomBytes(16).toString('hex'), fileKey: crypto.randomBytes(PHOTO_KEY_BYTES) };
    },

    /**
     * Seals and stores the three sizes, each durably (temp, fsync, rename): only ciphertext touches
     * the disk. The one place photo bytes reach the disk: the pipeline (photoWorkers.ts) only returns
     * buffers.
     */
    async put(ref: PhotoFileRef, files: Record<PhotoVariant, Buffer>): Promise<void> {
      for (const variant of PHOTO_VARIANTS) {
        await writeFileDurably(
          pathOf(ref.fileId, variant),
          sealPhoto(ref.fileKey, ref.fileId, variant, files[variant]),
        );
      }
    },

    /** One size, decrypted in memory. */
    async read(ref: PhotoFileRef, variant: PhotoVariant): Promise<Buffer> {
      const sealed = await fs.promises.readFile(pathOf(ref.fileId, variant));
      return openSealedPhoto(ref.fileKey, ref.fileId, variant, sealed);
    },

    has(fileId: string): boolean {
      return PHOTO_VARIANTS.every((v) => fs.existsSync(pathOf(fileId, v)));
    },

    remove(fileId: string): void {
      for (const v of PHOTO_VARIANTS) fs.rmSync(pathOf(fileId, v), { force: true });
    },

    /** Every stored photo's file id, for the consistency check. */
    listFileIds(): string[] {
      return listNames(SUFFIX).filter((n) => FILE_ID.test(n));
    },

    /** Hashes of photos still stored in plain form (before the upgrade finished). */
    listLegacyHashes(): string[] {
      return listNames('.jpg').filter((n) => SHA256.test(n));
    },
  };
}
