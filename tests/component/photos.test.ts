import { describe, expect, it } from 'vitest';
import {
  advanceWalk,
  frameAspect,
  ghostPhoto,
  importSummary,
  orderPair,
  percentAt,
  photosByView,
  precheckFile,
  sameSessionView,
  sameViewPartner,
  sliderKey,
  startWalk,
  stepSession,
  toggleSelection,
  walkView,
  type ImportItem,
  type PhotoLike,
} from '../../renderer/src/photos/photoLogic.js';

let n = 0;
function photo(session: number, kind: PhotoLike['kind'], view: PhotoLike['view'] = 'frontal'): PhotoLike {
  n += 1;
  return {
    id: `p${n}`,
    sessionId: `s${session}`,
    kind,
    view,
    sessionAt: `2026-0${session}-01T10:00:00.000Z`,
    createdAt: `2026-09-01T10:00:${String(n).padStart(2, '0')}.000Z`,
  };
}

describe('photo timeline logic', () => {
  const s1b = photo(1, 'before');
  const s1a = photo(1, 'after');
  const s2a = photo(2, 'after');
  const s3b = photo(3, 'before');
  const s3a = photo(3, 'after');
  const close = photo(1, 'before', 'close_up');
  const all = [s3a, close, s2a, s1a, s3b, s1b];

  it('groups by view in the standard order, each in session then Before/After order', () => {
    const groups = photosByView(all);
    expect(groups.map(([v]) => v)).toEqual(['frontal', 'close_up']);
    expect(groups[0]![1].map((p) => p.id)).toEqual([s1b, s1a, s2a, s3b, s3a].map((p) => p.id));
  });

  it('steps the right photo through sessions of the same view, keeping the kind when it can', () => {
    expect(stepSession(all, s1a, 1)).toBe(s2a);
    expect(stepSession(all, s2a, 1)).toBe(s3a);
    expect(stepSession(all, s3b, -1)).toBe(s2a); // session 2 has no Before: its first photo
    expect(stepSession(all, s3a, 1)).toBeNull();
    expect(stepSession(all, s1b, -1)).toBeNull();
    expect(stepSession(all, close, 1)).toBeNull();
  });

  it('takes the ghost from the first session with that view, preferring Before, never the current one', () => {
    expect(ghostPhoto(all, 'frontal', 's3')).toBe(s1b);
    expect(ghostPhoto(all, 'frontal', 's1')).toBe(s2a);
    expect(ghostPhoto(all, 'left_lateral', 's3')).toBeNull();
  });

  it('puts the earlier photo on the left and keeps a selection of at most two', () => {
    expect(orderPair(s3a, s1b)).toEqual([s1b, s3a]);
    expect(toggleSelection([], 'a')).toEqual(['a']);
    expect(toggleSelection(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggleSelection(['a', 'b'], 'c')).toEqual(['a', 'c']);
    expect(toggleSelection(['a', 'b'], 'a')).toEqual(['b']);
  });
});

describe('comparison slider', () => {
  it('moves with arrow, page, home and end keys, within 0–100', () => {
    expect(sliderKey(50, 'ArrowRight')).toBe(55);
    expect(sliderKey(50, 'ArrowLeft', true)).toBe(49);
    expect(sliderKey(98, 'ArrowUp')).toBe(100);
    expect(sliderKey(10, 'PageDown')).toBe(0);
    expect(sliderKey(10, 'End')).toBe(100);
    expect(sliderKey(10, 'Home')).toBe(0);
    expect(sliderKey(10, 'Enter')).toBeNull();
  });

  it('turns a pointer position into a percentage of the box', () => {
    expect(percentAt(150, { left: 100, width: 200 })).toBe(25);
    expect(percentAt(0, { left: 100, width: 200 })).toBe(0);
    expect(percentAt(999, { left: 100, width: 200 })).toBe(100);
    expect(percentAt(5, { left: 0, width: 0 })).toBe(50);
  });
});

describe('comparison frame', () => {
  it('takes the wider photo’s shape, so both fit whole at the frame’s full height', () => {
    const landscape = { width: 1600, height: 1000 };
    const portrait = { width: 500, height: 800 };
    expect(frameAspect(landscape, portrait)).toBe(1.6);
    expect(frameAspect(portrait, landscape)).toBe(1.6);
    expect(frameAspect(portrait, { width: 1000, height: 1600 })).toBe(0.625);
  });

  it('ignores a photo without a size, and falls back to a portrait frame', () => {
    expect(frameAspect({ width: 0, height: 100 }, { width: 300, height: 400 })).toBe(0.75);
    expect(frameAspect({ width: 0, height: 0 })).toBe(0.8);
  });
});

describe('import queue', () => {
  const item = (status: ImportItem['status']): ImportItem => ({
    key: status + Math.random(),
    name: 'x.jpg',
    kind: 'before',
    view: 'frontal',
    status,
    message: null,
  });

  it('says how far it got and how many were refused', () => {
    expect(importSummary([item('done'), item('importing'), item('waiting')]).text).toBe('1 of 3 imported');
    const done = importSummary([item('done'), item('failed'), item('done')]);
    expect(done.text).toBe('2 of 3 imported · 1 could not be imported');
    expect(done.finished).toBe(true);
  });

  it('refuses empty and oversized files before reading them', () => {
    expect(precheckFile({ size: 0 })).toMatch(/empty/);
    expect(precheckFile({ size: 61 * 1024 * 1024 })).toMatch(/larger than 60 MB/);
    expect(precheckFile({ size: 3_000_000 })).toBeNull();
  });
});

describe('capture walk-through', () => {
  it('walks the missing views in order, past skipped ones and ones imported meanwhile', () => {
    const missing = ['frontal', 'left_oblique', 'right_oblique', 'close_up'] as const;
    let walk = startWalk('before', missing)!;
    expect(walkView(walk)).toBe('frontal');
    walk = advanceWalk(walk, 'taken', ['left_oblique', 'right_oblique', 'close_up']);
    expect(walkView(walk)).toBe('left_oblique');
    walk = advanceWalk(walk, 'skipped', ['left_oblique', 'right_oblique', 'close_up']);
    expect(walkView(walk)).toBe('right_oblique');
    // Close-up was imported from a file while the right oblique was being lined up.
    walk = advanceWalk(walk, 'taken', []);
    expect(walkView(walk)).toBeNull();
    expect(walk).toMatchObject({ taken: ['frontal', 'right_oblique'], skipped: ['left_oblique'] });
    // Once through, nothing more happens.
    expect(advanceWalk(walk, 'taken', ['close_up'])).toBe(walk);
  });

  it('has no walk when nothing is missing', () => {
    expect(startWalk('after', [])).toBeNull();
    expect(walkView(null)).toBeNull();
  });
});

describe('same-view comparison', () => {
  const s1b = photo(1, 'before');
  const s1a = photo(1, 'after');
  const s1side = photo(1, 'before', 'left_oblique');
  const s2b = photo(2, 'before');
  const s3b = photo(3, 'before');
  const s3a = photo(3, 'after');
  const s3side = photo(3, 'after', 'left_oblique');
  const all = [s3a, s1side, s2b, s1b, s3b, s1a, s3side];

  it('pairs a photo with the same view at the other end of the course, the same kind first', () => {
    expect(sameViewPartner(all, s1b)).toBe(s3b);
    expect(sameViewPartner(all, s1a)).toBe(s3a);
    expect(sameViewPartner(all, s3a)).toBe(s1a);
    expect(sameViewPartner(all, s2b)).toBe(s1b);
    // Session 3 has no left-oblique Before: its After is the latest state of that view.
    expect(sameViewPartner(all, s1side)).toBe(s3side);
    expect(sameViewPartner(all, s3side)).toBe(s1side);
  });

  it('has no partner when no other session has the view', () => {
    expect(sameViewPartner([s1b, s1a], s1b)).toBeNull();
  });

  it("finds the left photo's view in the right photo's session", () => {
    expect(sameSessionView(all, s3side, 'frontal')).toBe(s3a);
    expect(sameSessionView(all, s2b, 'left_oblique')).toBeNull();
  });
});
