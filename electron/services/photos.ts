import type { z } from 'zod';
import { isSigned } from '../../db/signing.js';
import { recordAddendum } from './signing.js';
import { logPhotosOpened } from './auth.js';
import { PHOTO_CONSENT_SCOPE_KEYS, type PhotoConsentScope } from '../../contract/domain.js';
import {
  ByCourse,
  ById,
  PhotoConsentAnswer,
  PhotoImport,
  type Photo,
  type Session,
} from '../../contract/schemas.js';
import { newId } from '../../db/ids.js';
import { getSession, updateSession } from '../../db/sessions.js';
import {
  findSamePhoto,
  getPhoto,
  insertPhoto,
  listPhotosOfCourse,
  photoFileOf,
  referencedPhotoFiles,
  unsealedPhotos,
  updatePhoto,
  type PhotoRow,
} from '../../db/photos.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, parseInput } from './errors.js';
import { processPhoto } from './photoWorkers.js';
import { photoStore, type PhotoVariant } from './photoStore.js';
import { requireLive, restore, softDelete, type RecordStore } from './records.js';
import { sessionStore, toRecord } from './sessions.js';

const photoRecordStore: RecordStore<PhotoRow> = {
  entity: 'photo',
  label: 'photo',
  get: getPhoto,
  update: updatePhoto,
};

/**
 * The scope a new photo of this session is filed under. A session without photo consent refuses
 * photos here, whatever the screen did, so no photo of a face is kept without the client's word.
 */
function consentScopeFor(session: Session): PhotoConsentScope {
  const scope = PHOTO_CONSENT_SCOPE_KEYS.find((k) => k === session.photoConsent);
  if (scope) return scope;
  throw new AppError(
    'conflict',
    session.photoConsentDeclinedAt
      ? `The client declined photo consent for session ${session.number}, so no photo can be added. If they now agree, record their photo consent first.`
      : `Session ${session.number} has no photo consent recorded. Ask the client and record their photo consent (record only, teaching or marketing) before adding photos.`,
    'photoConsent',
  );
}

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
     * Strips and seals the file first and stores it durably, then files the row: a crash in between
     * leaves an unreferenced (encrypted) file that `needlelog check` reports, never a row pointing at
     * nothing. The plain photo exists only in memory.
     */
    async import(input: z.input<typeof PhotoImport>): Promise<Photo> {
      const data = parseInput(PhotoImport, input);
      // Checked before the file is processed, and again when it is filed (consent may have changed).
      consentScopeFor(requireLive(ctx, sessionStore, data.sessionId));
      const photo = await processPhoto(data.data);
      const ref = files.newRef();
      await files.put(ref, { full: photo.full, preview: photo.preview, thumb: photo.thumb });
      let filed: { photo: Photo; duplicate: boolean };
      try {
        filed = inTransaction(ctx, () => {
          // The session may have been deleted, or its consent changed, while we worked.
          const consentScope = consentScopeFor(requireLive(ctx, sessionStore, data.sessionId));
          const same = findSamePhoto(ctx.db, data.sessionId, data.kind, data.view, photo.sha256);
          if (same) return { photo: withUrls(getPhoto(ctx.db, same) as PhotoRow), duplicate: true };
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
            consentScope,
            createdAt: at,
            updatedAt: at,
            deletedAt: null,
            ...ref,
          });
          const saved = getPhoto(ctx.db, id) as PhotoRow;
          audit(ctx, 'photo', id, 'create', null, saved, at);
          return { photo: withUrls(saved), duplicate: false };
        });
      } catch (err) {
        files.remove(ref.fileId); // refused while we worked: no sealed file without its row
        throw err;
      }
      if (filed.duplicate) files.remove(ref.fileId);
      return filed.photo;
    },

    /**
     * The client's answer when asked before a photo is added: a scope becomes the session's photo
     * consent; "declined" is kept with its time (the consent stays none). Audited as a session edit.
     */
    consent(input: z.input<typeof PhotoConsentAnswer>): Session {
      const { sessionId, answer } = parseInput(PhotoConsentAnswer, input);
      return inTransaction(ctx, () => {
        const before = requireLive(ctx, sessionStore, sessionId);
        const at = nowIso(ctx);
        const declined = answer === 'declined';
        updateSession(ctx.db, {
          ...toRecord(before),
          photoConsent: declined ? 'none' : answer,
          photoConsentDeclinedAt: declined ? at : null,
          updatedAt: at,
        });
        const after = getSession(ctx.db, sessionId) as Session;
        audit(ctx, 'session', sessionId, 'update', before, after, at);
        // A signed session's record changes only with an addendum that says so.
        if (isSigned(ctx.db, sessionId)) {
          recordAddendum(ctx, before, after, 'Photo consent answered when a photo was added.', at);
        }
        return after;
      });
    },

    list(input: z.input<typeof ByCourse>): Photo[] {
      const { courseId } = parseInput(ByCourse, input);
      const photos = listPhotosOfCourse(ctx.db, courseId).map(withUrls);
      // Faces: who opened a client's photos is part of the activity log.
      if (photos.length > 0) logPhotosOpened(ctx, courseId);
      return photos;
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, photoRecordStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): Photo {
      return withUrls(
        restore(ctx, photoRecordStore, parseInput(ById, input).id, {
          store: sessionStore,
          idOf: (p) => p.sessionId,
        }),
      );
    },

    /**
     * The image behind a photo URL, decrypted in memory, for the hosts. Only a live photo's id
     * resolves, and the file is found by the row, so nothing in a URL can point outside the photo
     * folder. Null when there is no such live photo or its file is missing.
     */
    async bytesOf(photoId: string, variant: PhotoVariant): Promise<Buffer | null> {
      const row = getPhoto(ctx.db, photoId);
      if (!row || row.deletedAt !== null) return null;
      const ref = photoFileOf(ctx.db, photoId);
      if (!ref) return null;
      try {
        return await files.read(ref, variant);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },

    /** Photo rows whose file is missing (or not sealed yet), and stored files no row points to. */
    consistency(): { missing: string[]; orphaned: string[] } {
      const referenced = referencedPhotoFiles(ctx.db);
      const stored = new Set(files.listFileIds());
      return {
        missing: [
          ...[...referenced].filter((f) => !files.has(f)),
          ...unsealedPhotos(ctx.db).map((p) => p.id),
        ],
        orphaned: [...stored].filter((f) => !referenced.has(f)),
      };
    },
  };
}
