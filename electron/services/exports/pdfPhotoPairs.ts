import { PHOTO_VIEW_KEYS, type PhotoView } from '../../../contract/domain.js';
import type { Photo } from '../../../contract/schemas.js';

export interface PhotoPair {
  view: PhotoView;
  before: Photo;
  after: Photo | null;
}

const KIND_ORDER = { before: 0, after: 1, follow_up: 2 } as const;

/**
 * Per view: the earliest photo (a "before" where there is one) beside the latest later one (an
 * "after" or follow-up where there is one), so the pair spans the course.
 */
export function photoPairs(photos: readonly Photo[]): PhotoPair[] {
  const pairs: PhotoPair[] = [];
  for (const view of PHOTO_VIEW_KEYS) {
    const mine = photos
      .filter((p) => p.view === view && p.deletedAt === null)
      .sort(
        (a, b) =>
          a.sessionAt.localeCompare(b.sessionAt) ||
          KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
          a.createdAt.localeCompare(b.createdAt),
      );
    if (mine.length === 0) continue;
    const before = mine.find((p) => p.kind === 'before') ?? mine[0]!;
    const later = mine.filter((p) => p !== before && p.sessionAt >= before.sessionAt);
    const after =
      [...later].reverse().find((p) => p.kind !== 'before' && p.sessionAt > before.sessionAt) ??
      [...later].reverse().find((p) => p.kind !== 'before') ??
      later.at(-1) ??
      null;
    pairs.push({ view, before, after });
  }
  return pairs;
}
