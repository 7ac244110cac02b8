import { ZONES, type DepthRange, type Zone } from '../../../contract/domain.js';
import type { Formatter } from '../../../contract/format.js';
import {
  DEPTH_BANDS,
  FACE_FEATURES,
  FACE_HEIGHT,
  FACE_WIDTH,
  FACE_ZONES,
  FACE_ZONE_KEYS,
  HEAD_OUTLINE,
  OUTLINE_INK,
  OUTSIDE_INK,
  UNTREATED_FILL,
  markFill,
  zoneMarks,
} from '../../../charts/faceMap.js';
import { BOLD, FONT } from './pdfFonts.js';

/**
 * The face zone map on paper: the geometry the screen draws (charts/faceMap.ts), scaled onto the
 * page with pdfkit's vector paths, one face per session. Depths are written on their zones in
 * points (readable at any size); a zone outside its usual range gets a dashed red outline and a "!".
 */

type Doc = PDFKit.PDFDocument;

const INK = '#1d2630';
const MUTED = '#56616d';

/** Height of one session's map at `width` points wide, with its caption and the body areas line. */
export function faceMapHeight(width: number): number {
  return (width * FACE_HEIGHT) / FACE_WIDTH + 30;
}

export function drawFaceMap(
  doc: Doc,
  x: number,
  y: number,
  width: number,
  session: { zones: readonly { zone: Zone; depthMm: number }[] },
  usual: Partial<Record<Zone, DepthRange>>,
  caption: string,
  f: Formatter,
): void {
  const s = width / FACE_WIDTH;
  const marks = zoneMarks(session.zones, usual);
  doc.save();
  doc.translate(x, y).scale(s);
  doc.lineWidth(1.5 / s / 2);
  doc.path(HEAD_OUTLINE).fillAndStroke(UNTREATED_FILL, OUTLINE_INK);
  for (const shape of FACE_ZONES) {
    const mark = marks.get(shape.zone);
    doc.lineWidth(1.2 / s / 2);
    doc.path(shape.d).fillAndStroke(markFill(mark), mark ? '#ffffff' : '#d8c8bc');
  }
  for (const shape of FACE_ZONES) {
    if (!marks.get(shape.zone)?.outside) continue;
    doc.lineWidth(1.6 / s);
    (doc.dash as unknown as (lengths: number[], options?: object) => Doc).call(doc, [3 / s, 1.5 / s], {});
    doc.path(shape.d).stroke(OUTSIDE_INK);
    doc.undash();
  }
  doc.lineWidth(0.8 / s).strokeColor('#6b5a4d');
  for (const d of FACE_FEATURES) doc.path(d).stroke();
  doc.restore();

  doc.font(BOLD).fontSize(7);
  for (const shape of FACE_ZONES) {
    const mark = marks.get(shape.zone);
    if (!mark || mark.depthMm === null) continue;
    const text = `${mark.outside ? '! ' : ''}${f.number(mark.depthMm)}`;
    const w = doc.widthOfString(text) + 6;
    const cx = x + shape.label.x * s;
    const cy = y + shape.label.y * s;
    doc.save();
    doc.lineWidth(mark.outside ? 1 : 0.5);
    doc
      .roundedRect(cx - w / 2, cy - 5, w, 10, 5)
      .fillAndStroke('#ffffff', mark.outside ? OUTSIDE_INK : MUTED);
    doc.restore();
    doc
      .fillColor(mark.outside ? OUTSIDE_INK : INK)
      .text(text, cx - w / 2, cy - 3.6, { width: w, align: 'center', lineBreak: false });
  }
  doc.font(FONT).fontSize(6.5).fillColor(MUTED);
  doc.text('R', x + 2, y + 4, { lineBreak: false });
  doc.text('L', x + width - 6, y + 4, { lineBreak: false });

  const bottom = y + FACE_HEIGHT * s;
  doc.font(BOLD).fontSize(8).fillColor(INK);
  doc.text(caption, x, bottom + 3, { width, align: 'center', lineBreak: false });
  const body = session.zones.filter((z) => !FACE_ZONE_KEYS.has(z.zone));
  if (body.length > 0) {
    doc.font(FONT).fontSize(7).fillColor(MUTED);
    doc.text(body.map((z) => `${ZONES[z.zone]} ${f.mm(z.depthMm)}`).join(', '), x, bottom + 14, {
      width,
      align: 'center',
      height: 14,
      ellipsis: true,
    });
  }
  doc.fillColor(INK);
}

/** The depth colours and the outside-range mark, on one line; returns its height. */
export function drawFaceMapKey(doc: Doc, x: number, y: number): number {
  doc.font(FONT).fontSize(7.5);
  let cx = x;
  const item = (draw: () => void, text: string) => {
    draw();
    doc.fillColor(INK).text(text, cx + 13, y + 1, { lineBreak: false });
    cx += 13 + doc.widthOfString(text) + 10;
  };
  for (const b of DEPTH_BANDS) {
    item(() => {
      doc.save().lineWidth(0.5).rect(cx, y, 10, 10).fillAndStroke(b.fill, OUTLINE_INK).restore();
    }, `${b.label} mm`);
  }
  item(() => {
    doc.save().lineWidth(1.5);
    (doc.dash as unknown as (lengths: number[], options?: object) => Doc).call(doc, [2, 1], {});
    doc.rect(cx + 1, y + 1, 8, 8).stroke(OUTSIDE_INK);
    doc.undash().restore();
  }, '! outside the usual range');
  doc.fillColor(INK);
  return 14;
}
