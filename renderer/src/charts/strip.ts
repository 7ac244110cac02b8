import { PHOTO_VIEW_KEYS, type PhotoKind, type PhotoView } from '../../../contract/domain.js';
import type { ProgressSession } from '../../../contract/progress.js';

interface StripPhoto {
  id: string;
  sessionId: string;
  kind: PhotoKind;
  view: PhotoView;
  deletedAt: string | null;
}

/** Views that have at least one photo, most photographed first (ties in the standard order). */
export function stripViews(photos: readonly StripPhoto[]): PhotoView[] {
  const counts = new Map<PhotoView, number>();
  for (const p of photos) if (!p.deletedAt) counts.set(p.view, (counts.get(p.view) ?? 0) + 1);
  return PHOTO_VIEW_KEYS.filter((v) => counts.has(v)).sort(
    (a, b) =>
      (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || PHOTO_VIEW_KEYS.indexOf(a) - PHOTO_VIEW_KEYS.indexOf(b),
  );
}

/**
 * For each session, the photo of the chosen view: the chosen kind if there is one, otherwise any
 * other kind of that view (before, then after, then follow-up), otherwise nothing.
 */
export function pickStripPhotos<P extends StripPhoto>(
  sessions: readonly Pick<ProgressSession, 'id'>[],
  photos: readonly P[],
  view: PhotoView,
  kind: PhotoKind,
): (P | null)[] {
  const order: PhotoKind[] = [kind, ...(['before', 'after', 'follow_up'] as const).filter((k) => k !== kind)];
  return sessions.map((s) => {
    const mine = photos.filter((p) => p.sessionId === s.id && p.view === view && !p.deletedAt);
    for (const k of order) {
      const hit = mine.find((p) => p.kind === k);
      if (hit) return hit;
    }
    return null;
  });
}
