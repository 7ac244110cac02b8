import {
  MAX_PHOTO_BYTES,
  PHOTO_KIND_KEYS,
  PHOTO_VIEW_KEYS,
  type PhotoKind,
  type PhotoView,
} from '../../../contract/domain.js';
import { localClockForFileName, localDay } from '../../../contract/format.js';

/**
 * The pure part of the photo screens: ordering, stepping through sessions, the comparison slider's
 * keyboard, and the import queue's summary. No DOM, no API: tested on its own.
 */

/** What the logic needs of a photo (a subset of the contract's Photo). */
export interface PhotoLike {
  id: string;
  sessionId: string;
  kind: PhotoKind;
  view: PhotoView;
  sessionAt: string;
  createdAt: string;
}

const KIND_ORDER: Record<PhotoKind, number> = Object.fromEntries(
  PHOTO_KIND_KEYS.map((k, i) => [k, i]),
) as Record<PhotoKind, number>;

/** Session time, then Before → After → Follow-up, then the order they were added. */
export function comparePhotos(a: PhotoLike, b: PhotoLike): number {
  return (
    a.sessionAt.localeCompare(b.sessionAt) ||
    a.sessionId.localeCompare(b.sessionId) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.createdAt.localeCompare(b.createdAt)
  );
}

/** The course's photos per view (standard view order), each list in session order. Empty views left out. */
export function photosByView<P extends PhotoLike>(photos: readonly P[]): [PhotoView, P[]][] {
  const groups: [PhotoView, P[]][] = [];
  for (const view of PHOTO_VIEW_KEYS) {
    const list = photos.filter((p) => p.view === view).sort(comparePhotos);
    if (list.length > 0) groups.push([view, list]);
  }
  return groups;
}

/** The photos of one view grouped by session, sessions in time order. */
function sessionsOfView<P extends PhotoLike>(photos: readonly P[], view: PhotoView): P[][] {
  const ordered = photos.filter((p) => p.view === view).sort(comparePhotos);
  const groups: P[][] = [];
  for (const p of ordered) {
    const last = groups[groups.length - 1];
    if (last && last[0]?.sessionId === p.sessionId) last.push(p);
    else groups.push([p]);
  }
  return groups;
}

/**
 * The photo of the same view in the previous (-1) or next (+1) session that has one: the same kind
 * when that session has it, otherwise its first photo. Null at either end.
 */
export function stepSession<P extends PhotoLike>(
  photos: readonly P[],
  current: P,
  direction: -1 | 1,
): P | null {
  const sessions = sessionsOfView(photos, current.view);
  const index = sessions.findIndex((s) => s[0]?.sessionId === current.sessionId);
  if (index < 0) return null;
  const target = sessions[index + direction];
  if (!target) return null;
  return target.find((p) => p.kind === current.kind) ?? target[0] ?? null;
}

/**
 * The photo a practitioner lines the face up with: the given view from the course's first session
 * that has that view (its Before photo when there is one), excluding the session being photographed.
 */
export function ghostPhoto<P extends PhotoLike>(
  photos: readonly P[],
  view: PhotoView,
  currentSessionId: string,
): P | null {
  const first = sessionsOfView(
    photos.filter((p) => p.sessionId !== currentSessionId),
    view,
  )[0];
  if (!first) return null;
  return first.find((p) => p.kind === 'before') ?? first[0] ?? null;
}

/** The pair in reading order: the earlier photo on the left. */
export function orderPair<P extends PhotoLike>(a: P, b: P): [P, P] {
  return comparePhotos(a, b) <= 0 ? [a, b] : [b, a];
}

/**
 * Toggles a photo in a selection of at most two: selected again → removed; a third → replaces the
 * more recently chosen one, so the first choice stays the anchor.
 */
export function toggleSelection(selection: readonly string[], id: string): string[] {
  if (selection.includes(id)) return selection.filter((s) => s !== id);
  if (selection.length < 2) return [...selection, id];
  return [selection[0] as string, id];
}

/**
 * The width/height ratio of the one frame both compared photos are shown in: the wider of the two,
 * so that, each fitted whole into it, both are shown at the frame's full height — the same scale —
 * and the narrower one gets margins at its sides rather than being cropped.
 */
export function frameAspect(...photos: readonly { width: number; height: number }[]): number {
  const ratios = photos.filter((p) => p.width > 0 && p.height > 0).map((p) => p.width / p.height);
  return ratios.length > 0 ? Math.max(...ratios) : 4 / 5;
}

/** The comparison slider's position after a key, or null when the key is not the slider's. */
export function sliderKey(value: number, key: string, shift = false): number | null {
  const step = shift ? 1 : 5;
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampPercent(value - step);
    case 'ArrowRight':
    case 'ArrowUp':
      return clampPercent(value + step);
    case 'PageDown':
      return clampPercent(value - 20);
    case 'PageUp':
      return clampPercent(value + 20);
    case 'Home':
      return 0;
    case 'End':
      return 100;
    default:
      return null;
  }
}

function clampPercent(value: number): number {
  if (Number.isNaN(value)) return 50;
  return Math.round(Math.min(100, Math.max(0, value)));
}

/** Position (0–100) of a pointer over a box. */
export function percentAt(clientX: number, box: { left: number; width: number }): number {
  if (box.width <= 0) return 50;
  return clampPercent(((clientX - box.left) / box.width) * 100);
}

// ---------- import queue ----------

type ImportStatus = 'waiting' | 'importing' | 'done' | 'failed';

export interface ImportItem {
  key: string;
  name: string;
  kind: PhotoKind;
  view: PhotoView;
  status: ImportStatus;
  message: string | null;
}

interface ImportSummary {
  total: number;
  imported: number;
  failed: number;
  finished: boolean;
  text: string;
}

export function importSummary(items: readonly ImportItem[]): ImportSummary {
  const total = items.length;
  const imported = items.filter((i) => i.status === 'done').length;
  const failed = items.filter((i) => i.status === 'failed').length;
  const finished = imported + failed === total;
  let text = `${imported} of ${total} imported`;
  if (failed > 0) text += ` · ${failed} could not be imported`;
  if (finished && total > 0) text += failed === 0 ? ' · done' : '';
  return { total, imported, failed, finished, text };
}

/** A check that needs no reading: a file that is too big or empty is refused before its bytes are read. */
export function precheckFile(file: { size: number }): string | null {
  if (file.size === 0) return 'The file is empty. Nothing was saved.';
  if (file.size > MAX_PHOTO_BYTES) {
    return `This file is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB, too large for a photo. Nothing was saved.`;
  }
  return null;
}

/** The name a camera capture gets, e.g. "Camera 2026-09-01 10.32.05.jpg" (local time). */
export function cameraFileName(at: Date): string {
  return `Camera ${localDay(at)} ${localClockForFileName(at)}.jpg`;
}

// ---------- comparison partner ----------

/**
 * The photo a single selected one is compared with by default: the same view at the other end of
 * the course (the latest session for a photo of the first, else the first session), the same kind
 * when that session has it, else its After for a later session and its Before for an earlier one.
 * Null when no other session has the view.
 */
export function sameViewPartner<P extends PhotoLike>(photos: readonly P[], selected: P): P | null {
  const sessions = sessionsOfView(photos, selected.view);
  const index = sessions.findIndex((s) => s[0]?.sessionId === selected.sessionId);
  if (index < 0 || sessions.length < 2) return null;
  const target = index === 0 ? sessions[sessions.length - 1] : sessions[0];
  if (!target) return null;
  const fallback: PhotoKind = index === 0 ? 'after' : 'before';
  return (
    target.find((p) => p.kind === selected.kind) ??
    target.find((p) => p.kind === fallback) ??
    target[0] ??
    null
  );
}

/** The photo of `view` in the same session as `photo`: its kind when there is one. Null when none. */
export function sameSessionView<P extends PhotoLike>(
  photos: readonly P[],
  photo: P,
  view: PhotoView,
): P | null {
  const list = photos.filter((p) => p.sessionId === photo.sessionId && p.view === view).sort(comparePhotos);
  return list.find((p) => p.kind === photo.kind) ?? list[0] ?? null;
}

// ---------- capture walk-through ----------

/** A camera walk through the views a session's set still misses for one kind. */
export interface CaptureWalk {
  kind: PhotoKind;
  /** The views missing when the walk started, in set order. */
  views: PhotoView[];
  /** Index of the view being taken; views.length once the walk is through. */
  at: number;
  taken: PhotoView[];
  skipped: PhotoView[];
}

export function startWalk(kind: PhotoKind, missing: readonly PhotoView[]): CaptureWalk | null {
  return missing.length > 0 ? { kind, views: [...missing], at: 0, taken: [], skipped: [] } : null;
}

/** The view the walk is at, or null once it is through. */
export function walkView(walk: CaptureWalk | null): PhotoView | null {
  return walk ? (walk.views[walk.at] ?? null) : null;
}

/**
 * The walk after the current view was taken (or skipped): on to the next view that is still
 * missing (`stillMissing`, e.g. one imported from a file meanwhile is passed over).
 */
export function advanceWalk(
  walk: CaptureWalk,
  outcome: 'taken' | 'skipped',
  stillMissing: readonly PhotoView[],
): CaptureWalk {
  const current = walk.views[walk.at];
  if (current === undefined) return walk;
  let at = walk.at + 1;
  while (at < walk.views.length && !stillMissing.includes(walk.views[at] as PhotoView)) at += 1;
  return {
    ...walk,
    at,
    taken: outcome === 'taken' ? [...walk.taken, current] : walk.taken,
    skipped: outcome === 'skipped' ? [...walk.skipped, current] : walk.skipped,
  };
}
