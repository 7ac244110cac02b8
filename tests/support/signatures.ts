import type { DrawnSignature } from '../../contract/signing.js';

/** A drawn signature of `count` wavy strokes on a 400 × 150 pad, as the signature pad sends it. */
export function strokes(count: number): DrawnSignature {
  return {
    width: 400,
    height: 150,
    strokes: Array.from({ length: count }, (_, s) =>
      Array.from(
        { length: 12 },
        (_, i) => [20 + s * 110 + i * 8, 75 + Math.round(30 * Math.sin(i / 2))] as [number, number],
      ),
    ),
  };
}
