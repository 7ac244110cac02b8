import { PHOTO_VIEW_KEYS, type Area, type PhotoKind, type PhotoView } from './domain.js';

/**
 * Standard photo sets: the views a session of each treatment area should have, Before and After,
 * so that every visit of a course can be compared view by view. Clinic-configurable (Settings);
 * these are the defaults, from the standard views of domain.md chosen per area: obliques where
 * texture and volume show at 45° (lips, cheeks, periorbital lines), laterals where the profile
 * matters (nose, chin, jawline, neck), a close-up where the treated skin is small.
 */
export const DEFAULT_PHOTO_SETS: Record<Area, readonly PhotoView[]> = {
  lips_perioral: ['frontal', 'left_oblique', 'right_oblique', 'close_up'],
  forehead: ['frontal', 'left_oblique', 'right_oblique', 'close_up'],
  periorbital: ['frontal', 'left_oblique', 'right_oblique', 'close_up'],
  nose: ['frontal', 'left_lateral', 'right_lateral', 'close_up'],
  cheeks: ['frontal', 'left_oblique', 'right_oblique', 'close_up'],
  chin: ['frontal', 'left_lateral', 'right_lateral'],
  jawline: ['frontal', 'left_lateral', 'right_lateral'],
  full_face: ['frontal', 'left_oblique', 'right_oblique', 'left_lateral', 'right_lateral'],
  neck: ['frontal', 'left_lateral', 'right_lateral'],
  decolletage: ['frontal', 'close_up'],
  scalp: ['frontal', 'close_up'],
  hands: ['frontal', 'close_up'],
  abdomen: ['frontal', 'left_oblique', 'right_oblique', 'close_up'],
  thighs: ['frontal', 'left_lateral', 'right_lateral', 'close_up'],
  other: ['frontal', 'close_up'],
};

/** The set a course of `area` uses: the clinic's own (Settings), else the default. */
export function photoSetFor(
  sets: Partial<Record<Area, readonly PhotoView[]>>,
  area: Area,
): readonly PhotoView[] {
  return sets[area] ?? DEFAULT_PHOTO_SETS[area];
}

/** The kinds a session's set is checked for (a follow-up photo is taken at its own, later visit). */
export const PHOTO_SET_KINDS = ['before', 'after'] as const satisfies readonly PhotoKind[];

/** A set in the standard view order, each view once, whatever order it was given in. */
export function orderedViews(views: readonly PhotoView[]): PhotoView[] {
  return PHOTO_VIEW_KEYS.filter((v) => views.includes(v));
}

/** The views of `required` that none of `photos` (one session's, any kinds) has for `kind`, in set order. */
export function missingViews(
  required: readonly PhotoView[],
  photos: readonly { kind: PhotoKind; view: PhotoView }[],
  kind: PhotoKind,
): PhotoView[] {
  const have = new Set(photos.filter((p) => p.kind === kind).map((p) => p.view));
  return required.filter((v) => !have.has(v));
}
