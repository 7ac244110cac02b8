import type { z } from 'zod';
import { ByCourse, ById, PhotoImport, type Photo } from '../../contract/schemas.js';
import { newId } from '../../db/ids.js';
import {
  findSamePhoto,
  getPhoto,
  insertPhoto,
  listPhotosOfCourse,
  referencedPhotoHashes,
  updatePhoto,
  type PhotoRow,
} from '../../db/photos.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { parseInput } from './errors.js';
import { processPhoto } from './photoPipeline.js';
import { photoStore, type PhotoVariant } from './photoStore.js';
import { requireLive, restore, softDelete, type RecordStore } from './records.js';
import { sessionStore } from './sessions.js';

export const photoRecordStore: RecordStore<PhotoRow> = {
  entity: 'photo',
  label: 'photo',
  get: getPhoto,
  update: updatePhoto,
};

export function photoService(ctx: ServiceContext) {
  const files = photoStore(ctx.dataDir);
  const withUrls = (row: PhotoRow): Photo => ({
    ...row,
    urls: {
      thumb: ctx.photoUrl(row.id, 'thumb'),
      preview: ctx.photoUrl(row.id, 'preview'),
      full: ctx.photoUrl(row.id, 'full'),
    },
  });

  return {
    /**
     * Strips and stores the file first (durably), then files the row: a crash in between leaves an
     * unreferenced file that `needlelog check` reports, never a row pointing at nothing.
     */
    async import(input: z.input<typeof PhotoImport>): Promise<Photo> {
      const data = parseInput(PhotoImport, input);
      requireLive(ctx, sessionStore, data.sessionId);
      const photo = await processPhoto(data.data);
      await files.put(photo.sha256, { full: photo.full, preview: photo.preview, thumb: photo.thumb });
      return inTransaction(ctx, () => {
        requireLive(ctx, sessionStore, data.sessionId); // it may have been deleted while we worked
        const same = findSamePhoto(ctx.db, data.sessionId, data.kind, data.view, photo.sha256);
        if (same) return withUrls(getPhoto(ctx.db, same) as PhotoRow);
        const at = nowIso(ctx);
        const id = newId();
        insertPhoto(ctx.db, {
          id,
          sessionId: data.sessionId,
          kind: data.kind,
          view: data.view,
          sha256: photo.sha256,
          mime: 'image/jpeg',
          width: photo.width,
          height: photo.height,
          bytes: photo.full.byteLength,
          takenAt: photo.takenAt,
          createdAt: at,
          updatedAt: at,
          deletedAt: null,
        });
        const saved = getPhoto(ctx.db, id) as PhotoRow;
        audit(ctx, 'photo', id, 'create', null, saved, at);
        return withUrls(saved);
      });
    },

    list(input: z.input<typeof ByCourse>): Photo[] {
      return listPhotosOfCourse(ctx.db, parseInput(ByCourse, input).courseId).map(withUrls);
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, photoRecordStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): Photo {
      return withUrls(restore(ctx, photoRecordStore, parseInput(ById, input).id));
    },

    /**
     * The file behind a photo URL, for the hosts. Only a live photo's id resolves, and the path is
     * built from the stored hash, so nothing in a URL can point outside the photo folder.
     */
    fileFor(photoId: string, variant: PhotoVariant): string | null {
      const row = getPhoto(ctx.db, photoId);
      if (!row || row.deletedAt !== null) return null;
      return files.pathOf(row.sha256, variant);
    },

    /** Photo rows whose file is missing, and stored files no row points to. */
    consistency(): { missing: string[]; orphaned: string[] } {
      const referenced = referencedPhotoHashes(ctx.db);
      const stored = new Set(files.listHashes());
      return {
        missing: [...referenced].filter((h) => !files.has(h)),
        orphaned: [...stored].filter((h) => !referenced.has(h)),
      };
    },
  };
}
