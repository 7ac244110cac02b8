import { describe, expect, it } from 'vitest';
import { DEFAULT_DEPTH_RANGES, ZONE_KEYS, ZONES_FOR_AREA } from '../../contract/domain.js';
import {
  DEPTH_BANDS,
  FACE_READING_ORDER,
  FACE_ZONES,
  FACE_ZONE_KEYS,
  FACE_WIDTH,
  PENDING_FILL,
  UNTREATED_FILL,
  depthFill,
  depthStep,
  markFill,
  stepDepth,
  zoneMarks,
} from '../../charts/faceMap.js';

const numbersOf = (d: string) => d.match(/-?\d+(\.\d+)?/g)!.map(Number);

describe('face zone map geometry', () => {
  it('draws every zone of a full face once, and a keyboard meets each of them once', () => {
    expect(FACE_ZONES.map((s) => s.zone).sort()).toEqual([...ZONES_FOR_AREA.full_face, 'neck'].sort());
    expect([...FACE_READING_ORDER].sort()).toEqual([...FACE_ZONE_KEYS].sort());
    // The body areas are listed beside the face, not drawn on it.
    expect(ZONE_KEYS.filter((z) => !FACE_ZONE_KEYS.has(z))).toEqual([
      'decolletage',
      'scalp',
      'hands',
      'abdomen',
      'thighs',
      'other',
    ]);
  });

  it('draws each side as the mirror of the other, the client’s right on the viewer’s left', () => {
    const shape = (zone: string) => FACE_ZONES.find((s) => s.zone === zone)!;
    for (const [right, left] of [
      ['cheek_right', 'cheek_left'],
      ['periorbital_right', 'periorbital_left'],
      ['jawline_right', 'jawline_left'],
    ] as const) {
      const r = shape(right);
      const l = shape(left);
      expect(r.label.x).toBeLessThan(FACE_WIDTH / 2);
      expect(l.label.x).toBe(FACE_WIDTH - r.label.x);
      expect(l.label.y).toBe(r.label.y);
      // Same number of coordinates, each y the same; the x of every point (not arc radii) mirrored.
      expect(numbersOf(l.d)).toHaveLength(numbersOf(r.d).length);
      if (!r.d.includes('A')) {
        const rn = numbersOf(r.d);
        const ln = numbersOf(l.d);
        rn.forEach((v, i) => expect(ln[i]).toBe(i % 2 === 0 ? FACE_WIDTH - v : v));
      }
    }
  });
});

describe('depth stepper', () => {
  it('steps 0.05 mm near the eyes and lips and 0.25 mm elsewhere', () => {
    expect(depthStep('upper_lip')).toBe(0.05);
    expect(depthStep('periorbital_left')).toBe(0.05);
    expect(depthStep('perioral')).toBe(0.05);
    expect(depthStep('cheek_left')).toBe(0.25);
    expect(depthStep('forehead')).toBe(0.25);
  });

  it('starts an empty zone at the low end of its usual range, then moves along the step grid', () => {
    const cheek = DEFAULT_DEPTH_RANGES.cheek_left;
    expect(stepDepth('cheek_left', null, 1, cheek)).toBe(0.5);
    expect(stepDepth('cheek_left', null, -1, cheek)).toBe(0.5);
    expect(stepDepth('cheek_left', 0.5, 1, cheek)).toBe(0.75);
    expect(stepDepth('cheek_left', 0.6, 1, cheek)).toBe(0.75); // a typed 0.6 snaps up to the grid
    expect(stepDepth('cheek_left', 0.6, -1, cheek)).toBe(0.5);
    expect(stepDepth('upper_lip', 0.25, 1, cheek)).toBe(0.3);
    expect(stepDepth('upper_lip', 0.15, 1, cheek)).toBe(0.2); // 0.15 / 0.05 is 2.9999… in floating point
    expect(stepDepth('upper_lip', 0.15, -1, cheek)).toBe(0.1);
  });

  it('stays within the hard limits of 0.1–3.0 mm', () => {
    const range = DEFAULT_DEPTH_RANGES.forehead;
    expect(stepDepth('forehead', 0.25, -1, range)).toBe(0.1);
    expect(stepDepth('forehead', 0.1, -1, range)).toBe(0.1);
    expect(stepDepth('forehead', 3, 1, range)).toBe(3);
    expect(stepDepth('forehead', 2.9, 1, range)).toBe(3);
  });
});

describe('zone fills and marks', () => {
  it('fills by depth band, bounds in the lower band; untreated and chosen-without-depth apart', () => {
    expect(depthFill(0.25)).toBe(DEPTH_BANDS[0]!.fill);
    expect(depthFill(0.3)).toBe(DEPTH_BANDS[1]!.fill);
    expect(depthFill(1)).toBe(DEPTH_BANDS[2]!.fill);
    expect(depthFill(2.5)).toBe(DEPTH_BANDS[5]!.fill);
    expect(new Set(DEPTH_BANDS.map((b) => b.fill)).size).toBe(DEPTH_BANDS.length);
    const marks = zoneMarks(
      [
        { zone: 'forehead', depthMm: 0.75 },
        { zone: 'nose', depthMm: null },
        { zone: 'cheek_left', depthMm: 1 },
      ],
      DEFAULT_DEPTH_RANGES,
    );
    expect(marks.get('forehead')!.outside).toMatchObject({ direction: 'above', grade: 'well' });
    expect(marks.get('cheek_left')!.outside).toBeNull();
    expect(markFill(marks.get('nose'))).toBe(PENDING_FILL);
    expect(markFill(marks.get('chin'))).toBe(UNTREATED_FILL);
    expect(markFill(marks.get('cheek_left'))).toBe(DEPTH_BANDS[2]!.fill);
  });
});
