import type { z } from 'zod';
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
  referencedPhotoHashes,
  updatePhoto,
  type PhotoRow,
} from '../../db/photos.js';
import { audit, inTransaction, nowIso, type ServiceContext } from './context.js';
import { AppError, parseInput } from './errors.js';
import { processPhoto } from './photoWorkers.js';
import { photoStore, type PhotoVariant } from './photoStore.js';
import { requireLive, restore, softDelete, type RecordStore } from './records.js';
import { sessionStore, toRecord } from './sessions.js';

export const photoRecordStore: RecordStore<PhotoRow> = {
  entity: 'photo',
  label: 'photo',
  get: getPhoto,
  update: updatePhoto,
};

/**
 * The scope a new photo of this session is filed under. A session without photo consent refuses
 * photos here, whatever the screen did, so no photo of a face is kept without the client's word.
 */
export function consentScopeFor(session: Session): PhotoConsentScope {
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
     * Strips and stores the file first (durably), then files the row: a crash in between leaves an
     * unreferenced file that `needlelog check` reports, never a row pointing at nothing.
     */
    async import(input: z.input<typeof PhotoImport>): Promise<Photo> {
      const data = parseInput(PhotoImport, input);
      // Checked before the file is processed, and again when it is filed (consent may have changed).
      consentScopeFor(requireLive(ctx, sessionStore, data.sessionId));
      const photo = await processPhoto(data.data);
      await files.put(photo.sha256, { full: photo.full, preview: photo.preview, thumb: photo.thumb });
      return inTransaction(ctx, () => {
        // The session may have been deleted, or its consent changed, while we worked.
        const consentScope = consentScopeFor(requireLive(ctx, sessionStore, data.sessionId));
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
          consentScope,
          createdAt: at,
          updatedAt: at,
          deletedAt: null,
        });
        const saved = getPhoto(ctx.db, id) as PhotoRow;
        audit(ctx, 'photo', id, 'create', null, saved, at);
        return withUrls(saved);
      });
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
