import type { DrawnSignature } from '../../contract/signing.js';

const PAD = { width: 400, height: 150 } as const;

/**
 * A made-up handwritten signature for the demo clinic: one looping stroke per word of the name
 * (the first as an initial), shaped by its letters so each person's differs, on the pad's size.
 */
export function demoSignature(name: string): DrawnSignature {
  const words = name.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const parts = words.length > 1 ? [words[0]!.slice(0, 1), words[words.length - 1]!] : words;
  const letters = parts.reduce((n, w) => n + w.length, 0) || 1;
  const step = Math.min(26, (PAD.width - 60 - 24 * (parts.length - 1)) / letters);
  const base = PAD.height * 0.62;
  let x = 30;
  const strokes: [number, number][][] = [];
  for (const word of parts.length > 0 ? parts : ['x']) {
    const stroke: [number, number][] = [];
    [...word].forEach((ch, i) => {
      const code = ch.codePointAt(0) ?? 0;
      // Capitals and some letters rise higher; each letter is one loop of the pen.
      const rise = i === 0 ? 2.4 : code % 3 === 0 ? 1.7 : 1;
      for (let k = 0; k < 8; k++) {
        const t = k / 8;
        const y = base - Math.abs(Math.sin(t * Math.PI + (code % 5) / 5)) * 14 * rise;
        stroke.push([round(x + t * step), round(y)]);
      }
      x += step;
    });
    strokes.push(stroke);
    x += 24;
  }
  // The underline flourish most signatures end with.
  strokes.push(
    Array.from({ length: 10 }, (_, k) => [
      round(30 + (k * (x - 60)) / 9),
      round(base + 16 + 5 * Math.sin(k)),
    ]),
  );
  return { ...PAD, strokes };
}

function round(n: number): number {
  return Math.max(0, Math.round(n * 10) / 10);
}
