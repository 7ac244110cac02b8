import { PHOTO_KINDS, PHOTO_VIEWS } from '../../../contract/domain.js';
import type { Photo, Session } from '../../../contract/schemas.js';
import { PhotoConsentTag } from './PhotoConsentTag.js';

/** This session's photos as tiles, each with the scope it was added under and a Delete button. */
export function SessionPhotoGrid({
  session,
  photos,
  onDelete,
}: {
  session: Pick<Session, 'number'>;
  photos: readonly Photo[];
  onDelete: (photo: Photo) => void;
}) {
  return photos.length === 0 ? (
    <p className="muted">No photos for this session yet.</p>
  ) : (
    <ul className="ph-grid" aria-label={`Photos of session ${session.number}`}>
      {photos.map((p, i) => {
        const name = `${PHOTO_KINDS[p.kind]}, ${PHOTO_VIEWS[p.view]}`;
        return (
          <li key={p.id} className="ph-tile">
            <span className="ph-frame">
              <img src={p.urls.thumb} alt={name} loading="lazy" width={p.width} height={p.height} />
            </span>
            <span className="ph-tile-caption">
              <strong>{PHOTO_KINDS[p.kind]}</strong> {PHOTO_VIEWS[p.view]}
            </span>
            <PhotoConsentTag scope={p.consentScope} />
            <button
              type="button"
              className="button small danger"
              aria-label={`Delete photo ${i + 1}: ${name}`}
              onClick={() => onDelete(p)}
            >
              Delete
            </button>
          </li>
        );
      })}
    </ul>
  );
}
