import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../../../db/connection.js';
import { filesOf, storeFiles, wantedFiles, wantFiles } from '../../../db/relay.js';
import { markFilesSettled, unsettledPhotoFiles } from '../../../db/sync/files.js';
import { writeFileDurably } from '../durableFiles.js';
import {
  openSealedPhoto,
  PHOTO_VARIANTS,
  photoStore,
  SealedPhotoError,
  type PhotoVariant,
} from '../photoStore.js';

/** A photo file id: 32 hex digits, random (photoStore.newRef). */
const FILE_ID = z.string().regex(/^[0-9a-f]{32}$/);
const VARIANT = z.enum(PHOTO_VARIANTS as ['full', 'preview', 'thumb']);

/** Bytes of sealed files per request, each way: a few full-size photos at a time. */
const FILE_BYTES_PER_REQUEST = 16 * 1024 * 1024;
/** File ids asked for (or reported wanted) per request. */
const FILE_IDS_PER_REQUEST = 200;

const SealedFile = z.strictObject({
  fileId: FILE_ID,
  variant: VARIANT,
  /** The photo file exactly as it is stored (AES-256-GCM under the photo's own key), base64. */
  sealed: z.base64().max(48 * 1024 * 1024),
});
type SealedFile = z.output<typeof SealedFile>;

export const FilesRequest = z.strictObject({
  put: z.array(SealedFile).max(3 * FILE_IDS_PER_REQUEST),
  get: z.array(FILE_ID).max(FILE_IDS_PER_REQUEST),
  /** Files whose copy at the relay did not open under their record's key: dropped, and wanted again. */
  damaged: z.array(FILE_ID).max(FILE_IDS_PER_REQUEST).default([]),
});
export type FilesRequest = z.input<typeof FilesRequest>;

export interface FilesResponse {
  /** Every size of the files asked for that the relay holds, as many as fit one response. */
  files: SealedFile[];
  /** Files asked for that the relay does not hold (yet): it notes them as wanted. */
  missing: string[];
  /** Files some room asked for and the relay lacks (after a restore, say): whoever holds them sends them again. */
  wanted: string[];
}

export interface FilesReport {
  sent: number;
  received: number;
  /** Photos whose files have not reached this room yet (their room has not sent them). */
  waiting: number;
  /** Files refused because they did not open under their record's key (damaged or swapped). */
  refused: number;
}

/**
 * After the messages of a round: photo files travel by id, as they are stored (sealed under each
 * photo's own key, which itself travels only inside the clinic-key envelopes), so the relay holds
 * nothing it can open and no plain photo ever leaves a room. A room sends the files it holds that
 * it has not settled with the relay, fetches the ones its photo records name and it lacks, and
 * sends again any file the relay says a room wanted and it no longer has. A fetched file is opened
 * with its record's key before it is stored: a damaged or swapped file is refused.
 */
export async function syncFiles(
  db: Db,
  exchangeFiles: (req: FilesRequest) => Promise<FilesResponse>,
): Promise<FilesReport> {
  const store = photoStore(path.dirname(db.name));
  const report: FilesReport = { sent: 0, received: 0, waiting: 0, refused: 0 };
  const unsettled = unsettledPhotoFiles(db);
  const held = unsettled.filter((f) => store.has(f.fileId));
  const lacking = unsettled.filter((f) => !store.has(f.fileId));
  const keyOf = new Map(unsettled.map((f) => [f.fileId, f.fileKey]));

  let wanted: string[] | null = null;
  async function send(fileIds: string[]): Promise<void> {
    let batch: SealedFile[] = [];
    let bytes = 0;
    let ids: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const res = await exchangeFiles({ put: batch, get: [], damaged: [] });
      wanted = res.wanted;
      markFilesSettled(db, ids);
      report.sent += ids.length;
      batch = [];
      ids = [];
      bytes = 0;
    };
    for (const fileId of fileIds) {
      for (const variant of PHOTO_VARIANTS) {
        const sealed = (await fs.promises.readFile(store.pathOf(fileId, variant))).toString('base64');
        batch.push({ fileId, variant, sealed });
        bytes += sealed.length;
      }
      ids.push(fileId);
      if (bytes >= FILE_BYTES_PER_REQUEST || batch.length >= 3 * FILE_IDS_PER_REQUEST - 3) await flush();
    }
    await flush();
  }

  await send(held.map((f) => f.fileId));
  const damaged: string[] = [];

  for (let i = 0; i < lacking.length; i += FILE_IDS_PER_REQUEST) {
    let ask = lacking.slice(i, i + FILE_IDS_PER_REQUEST).map((f) => f.fileId);
    while (ask.length > 0) {
      const res = await exchangeFiles({ put: [], get: ask, damaged: damaged.splice(0) });
      wanted = res.wanted;
      const got = new Map<string, SealedFile[]>();
      for (const f of res.files) got.set(f.fileId, [...(got.get(f.fileId) ?? []), f]);
      const done: string[] = [];
      for (const [fileId, sizes] of got) {
        const key = keyOf.get(fileId);
        if (!key || sizes.length !== PHOTO_VARIANTS.length) continue;
        const bytes = sizes.map((s) => ({ ...s, bytes: Buffer.from(s.sealed, 'base64') }));
        // Each size must open under the key its record holds, for its own id and size.
        if (!bytes.every((s) => opens(key, fileId, s.variant, s.bytes))) {
          damaged.push(fileId);
          report.refused += 1;
          continue;
        }
        for (const s of bytes) await writeFileDurably(store.pathOf(fileId, s.variant), s.bytes);
        done.push(fileId);
      }
      markFilesSettled(db, done);
      report.received += done.length;
      report.waiting += res.missing.length;
      const answered = new Set([...got.keys(), ...res.missing]);
      const next = ask.filter((id) => !answered.has(id));
      // A response with nothing new would loop forever: the rest waits for the next round.
      if (next.length === ask.length) {
        report.waiting += next.length;
        break;
      }
      ask = next;
    }
  }

  // One request at least, to learn which files the relay lacks (a damaged copy, a restore from an
  // older backup) and this room may hold: those go again.
  if (damaged.length > 0 || wanted === null)
    wanted = (await exchangeFiles({ put: [], get: [], damaged })).wanted;
  const resend = wanted.filter((id) => store.has(id));
  if (resend.length > 0) await send(resend);
  return report;
}

function opens(key: Buffer, fileId: string, variant: PhotoVariant, sealed: Buffer): boolean {
  try {
    openSealedPhoto(key, fileId, variant, sealed);
    return true;
  } catch (err) {
    if (err instanceof SealedPhotoError) return false;
    throw err;
  }
}

/** The relay's side of a files request, for a device already authenticated. */
export function exchangeFiles(db: Db, deviceId: string, input: unknown): FilesResponse {
  const req = FilesRequest.parse(input);
  const at = new Date().toISOString();
  if (req.damaged.length > 0) wantFiles(db, req.damaged, at, true);
  if (req.put.length > 0) {
    storeFiles(
      db,
      deviceId,
      req.put.map((f) => ({ ...f, sealed: Buffer.from(f.sealed, 'base64') })),
      at,
    );
  }
  const files: SealedFile[] = [];
  const missing: string[] = [];
  let bytes = 0;
  for (const fileId of req.get) {
    // What does not fit this response is simply not answered: the room asks again.
    if (bytes >= FILE_BYTES_PER_REQUEST) break;
    const sizes = filesOf(db, fileId);
    if (sizes.length < PHOTO_VARIANTS.length) {
      missing.push(fileId);
      continue;
    }
    for (const s of sizes) {
      const sealed = s.sealed.toString('base64');
      files.push({ fileId, variant: s.variant as PhotoVariant, sealed });
      bytes += sealed.length;
    }
  }
  if (missing.length > 0) wantFiles(db, missing, at);
  return { files, missing, wanted: wantedFiles(db, FILE_IDS_PER_REQUEST) };
}
