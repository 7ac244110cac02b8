import { DEPTH_HARD_MAX_MM, DEPTH_HARD_MIN_MM, type DepthRange, type Zone } from '../contract/domain.js';
import { checkRange, type RangeCheck } from '../contract/warnings.js';

/**
 * The face zone map as plain geometry: SVG path data in one coordinate space, drawn by the session
 * form and the course page (React SVG) and by the PDF report (pdfkit paths), so all three show the
 * same face. The face is seen from the front, as the practitioner faces the client: the client's
 * right is on the viewer's left. Shapes are schematic, sized to be tapped with a gloved finger
 * rather than drawn to anatomical scale; later shapes lie over earlier ones.
 */

export const FACE_WIDTH = 300;
export const FACE_HEIGHT = 420;

interface ZoneShape {
  zone: Zone;
  d: string;
  /** Where the zone's depth is written. */
  label: { x: number; y: number };
}

/** The mirror image of a path across the face's midline (every x → FACE_WIDTH − x). */
function mirror(d: string): string {
  // Absolute commands only (M L C Q A Z): x values sit at even positions of each coordinate pair,
  // except in arcs, whose radii, rotation and flags are kept and whose sweep is reversed.
  return d.replace(/([MLCQA])([^MLCQAZ]*)/g, (_m, cmd: string, args: string) => {
    const n = args
      .trim()
      .split(/[\s,]+/)
      .map(Number);
    if (cmd === 'A') {
      const [rx, ry, rot, large, sweep, x, y] = n as [number, number, number, number, number, number, number];
      return `A ${rx} ${ry} ${rot} ${large} ${1 - sweep} ${FACE_WIDTH - x} ${y} `;
    }
    return `${cmd} ${n.map((v, i) => (i % 2 === 0 ? FACE_WIDTH - v : v)).join(' ')} `;
  });
}

const sided = (
  right: Omit<ZoneShape, 'zone'>,
  zones: { right: Zone; left: Zone },
): [ZoneShape, ZoneShape] => [
  { zone: zones.right, ...right },
  { zone: zones.left, d: mirror(right.d), label: { x: FACE_WIDTH - right.label.x, y: right.label.y } },
];

/** The skin of the head, drawn under the zones. */
export const HEAD_OUTLINE =
  'M 150 18 C 222 18 258 70 260 150 C 262 215 250 280 214 328 C 192 356 172 372 150 372 ' +
  'C 128 372 108 356 86 328 C 50 280 38 215 40 150 C 42 70 78 18 150 18 Z';

/** Ears, brows, eyes and nostrils: landmarks only, never a target. */
export const FACE_FEATURES: readonly string[] = [
  'M 41 142 C 24 138 22 184 44 196',
  mirror('M 41 142 C 24 138 22 184 44 196'),
  'M 74 120 Q 104 108 134 118',
  mirror('M 74 120 Q 104 108 134 118'),
  'M 86 142 Q 104 132 122 142 Q 104 150 86 142 Z',
  mirror('M 86 142 Q 104 132 122 142 Q 104 150 86 142 Z'),
  'M 134 222 Q 140 230 148 226',
  mirror('M 134 222 Q 140 230 148 226'),
];

/** In drawing order: what lies over another zone comes after it. */
export const FACE_ZONES: readonly ZoneShape[] = [
  {
    zone: 'neck',
    d: 'M 106 330 L 194 330 L 200 380 C 214 398 236 406 258 414 L 258 420 L 42 420 L 42 414 C 64 406 86 398 100 380 Z',
    label: { x: 150, y: 398 },
  },
  {
    zone: 'forehead',
    d: 'M 66 118 C 66 62 104 34 150 34 C 196 34 234 62 234 118 Z',
    label: { x: 150, y: 80 },
  },
  ...sided(
    {
      d: 'M 46 178 C 70 168 104 168 124 176 L 124 300 L 70 300 C 56 262 46 222 46 178 Z',
      label: { x: 86, y: 218 },
    },
    { right: 'cheek_right', left: 'cheek_left' },
  ),
  {
    zone: 'perioral',
    d: 'M 112 244 L 188 244 Q 206 244 206 262 L 206 318 Q 206 336 188 336 L 112 336 Q 94 336 94 318 L 94 262 Q 94 244 112 244 Z',
    label: { x: 150, y: 254 },
  },
  ...sided(
    {
      d: 'M 42 228 C 48 276 70 312 96 338 C 110 352 124 362 138 368 L 142 350 C 124 342 110 332 98 318 C 80 296 68 266 64 228 Z',
      label: { x: 72, y: 300 },
    },
    { right: 'jawline_right', left: 'jawline_left' },
  ),
  {
    zone: 'chin',
    d: 'M 112 338 L 188 338 C 184 358 168 368 150 368 C 132 368 116 358 112 338 Z',
    label: { x: 150, y: 354 },
  },
  {
    zone: 'upper_lip',
    d: 'M 114 282 C 124 268 138 264 150 272 C 162 264 176 268 186 282 L 190 290 L 110 290 Z',
    label: { x: 150, y: 279 },
  },
  {
    zone: 'lower_lip',
    d: 'M 110 290 L 190 290 C 180 312 166 318 150 318 C 134 318 120 312 110 290 Z',
    label: { x: 150, y: 305 },
  },
  ...sided(
    { d: 'M 62 146 A 42 24 0 1 1 146 146 A 42 24 0 1 1 62 146 Z', label: { x: 104, y: 161 } },
    { right: 'periorbital_right', left: 'periorbital_left' },
  ),
  { zone: 'nose', d: 'M 140 126 L 160 126 L 180 222 Q 150 240 120 222 Z', label: { x: 150, y: 196 } },
];

/**
 * The client's right side in profile (the nose points to the viewer's right), for the jawline and
 * the neck, which the front view foreshortens. The left side is its mirror image. Same vertical
 * scale as the front view, so the jaw and neck sit at the same height in both.
 */
export const PROFILE_WIDTH = 200;
export const PROFILE_OUTLINE =
  'M 92 18 C 142 14 172 52 174 110 L 176 130 C 171 138 169 145 172 152 L 196 220 ' +
  'C 199 229 191 236 178 236 L 176 262 C 184 270 184 282 176 290 C 182 298 181 310 173 318 ' +
  'C 167 330 176 344 170 360 C 160 372 144 372 132 368 L 128 420 L 30 420 ' +
  'C 38 380 48 350 52 330 C 36 290 16 230 16 150 C 14 80 42 20 92 18 Z';
export const PROFILE_FEATURES: readonly string[] = [
  'M 70 150 C 56 146 52 186 70 198 C 80 200 84 170 78 156 Z',
  'M 150 146 Q 160 142 168 148',
  'M 140 120 Q 156 112 172 120',
];
export const PROFILE_ZONES: readonly ZoneShape[] = [
  {
    zone: 'neck',
    d: 'M 54 330 C 80 352 110 366 132 368 L 128 420 L 30 420 C 38 380 48 350 54 330 Z',
    label: { x: 84, y: 396 },
  },
  {
    zone: 'jawline_right',
    d: 'M 62 226 C 64 284 80 328 110 350 C 130 362 150 366 168 362 L 166 342 C 146 346 128 342 114 332 C 92 314 84 282 84 226 Z',
    label: { x: 88, y: 318 },
  },
];

/** The zones the face drawing holds; the others (body areas) are listed beside it. */
export const FACE_ZONE_KEYS: ReadonlySet<Zone> = new Set(FACE_ZONES.map((s) => s.zone));

/** The order a keyboard meets the face's zones: top to bottom, the client's right before left. */
export const FACE_READING_ORDER: readonly Zone[] = [
  'forehead',
  'periorbital_right',
  'periorbital_left',
  'nose',
  'cheek_right',
  'cheek_left',
  'upper_lip',
  'lower_lip',
  'perioral',
  'chin',
  'jawline_right',
  'jawline_left',
  'neck',
];

/** Thin skin around the eyes and lips: depths are set in 0.05 mm steps there, 0.25 mm elsewhere. */
const FINE_STEP_ZONES: ReadonlySet<Zone> = new Set<Zone>([
  'periorbital_left',
  'periorbital_right',
  'upper_lip',
  'lower_lip',
  'perioral',
]);

export function depthStep(zone: Zone): number {
  return FINE_STEP_ZONES.has(zone) ? 0.05 : 0.25;
}

/**
 * One press of the stepper: to the next multiple of the zone's step up or down, within the hard
 * limits. A zone without a depth yet starts at the low end of its usual range, whichever way.
 */
export function stepDepth(zone: Zone, current: number | null, direction: 1 | -1, usual: DepthRange): number {
  const clamp = (n: number) => Math.min(DEPTH_HARD_MAX_MM, Math.max(DEPTH_HARD_MIN_MM, n));
  if (current === null) return clamp(usual.min);
  const step = depthStep(zone);
  // Rounded to hundredths first so 0.15 / 0.05 (2.9999…) counts as on the grid.
  const units = Math.round((current / step) * 1000) / 1000;
  const next = direction > 0 ? Math.floor(units) + 1 : Math.ceil(units) - 1;
  return clamp(Math.round(next * step * 100) / 100);
}

/** Depth bands for the fill, shallow to deep; each band holds depths up to and including `upTo`. */
export const DEPTH_BANDS: readonly { upTo: number; fill: string; label: string }[] = [
  { upTo: 0.25, fill: '#e0f3f8', label: 'up to 0.25' },
  { upTo: 0.5, fill: '#abd9e9', label: '0.3–0.5' },
  { upTo: 1.0, fill: '#74add1', label: '0.55–1.0' },
  { upTo: 1.5, fill: '#4575b4', label: '1.05–1.5' },
  { upTo: 2.0, fill: '#313695', label: '1.55–2.0' },
  { upTo: DEPTH_HARD_MAX_MM, fill: '#1c1f5c', label: 'over 2.0' },
];

/** The skin of a zone that was not treated, and the ink of outlines and landmarks. */
export const UNTREATED_FILL = '#f6eee8';
export const PENDING_FILL = '#ffffff';
export const OUTLINE_INK = '#8a7a6e';
export const OUTSIDE_INK = '#a4231b';

export function depthFill(mm: number): string {
  return (DEPTH_BANDS.find((b) => mm <= b.upTo + 1e-9) ?? DEPTH_BANDS[DEPTH_BANDS.length - 1]!).fill;
}

/** What the map shows of one zone: not treated, treated without a depth yet, or a depth. */
export interface ZoneMark {
  zone: Zone;
  state: 'untreated' | 'pending' | 'depth';
  depthMm: number | null;
  outside: RangeCheck | null;
}

/** Each zone of a session as the map marks it, from its recorded depths and the usual ranges. */
export function zoneMarks(
  zones: readonly { zone: Zone; depthMm: number | null }[],
  usual: Partial<Record<Zone, DepthRange>>,
): Map<Zone, ZoneMark> {
  const marks = new Map<Zone, ZoneMark>();
  for (const z of zones) {
    const range = usual[z.zone];
    marks.set(z.zone, {
      zone: z.zone,
      state: z.depthMm === null ? 'pending' : 'depth',
      depthMm: z.depthMm,
      outside: z.depthMm !== null && range ? checkRange(z.depthMm, range) : null,
    });
  }
  return marks;
}

export function markFill(mark: ZoneMark | undefined): string {
  if (!mark || mark.state === 'untreated') return UNTREATED_FILL;
  return mark.depthMm === null ? PENDING_FILL : depthFill(mark.depthMm);
}
