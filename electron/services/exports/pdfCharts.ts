import type { ProgressSession } from '../../../contract/progress.js';
import type { Formatter } from '../../../contract/format.js';
import { intervalTick, spansYears } from '../../../charts/labels.js';
import { hasAnyValue, type ChartSpec } from '../../../charts/progressCharts.js';
import {
  FRAME,
  bandWidth,
  bandX,
  dodge,
  linePath,
  markerPath,
  yScale,
  type Frame,
  type SeriesStyle,
} from '../../../charts/scale.js';
import { BOLD, FONT } from './pdfFonts.js';

/**
 * The course progress charts on paper: the same chart specs (charts/progressCharts.ts) and the same
 * geometry (charts/scale.ts: bands, scales, line paths, marker shapes, Okabe–Ito colours with dash
 * patterns) as the SVG on screen, drawn with pdfkit's vector primitives. Chart geometry is in the
 * frame's units and scaled onto the page; text is set in points so it stays readable.
 */

type Doc = PDFKit.PDFDocument;

/** The screen's frame and insets, a little less tall so four charts fit on a page. */
const PAPER_FRAME: Frame = { ...FRAME, height: 250 };

const INK = '#1d2630';
const MUTED = '#56616d';
const GRID = '#c9d0d6';
const AXIS = '#56616d';
const LATE_FILL = '#fff0d6';
const LATE_HATCH = '#e0a84f';
const LATE_INK = '#8a5300';
const AE_FILL = '#a4231b';
/** The ring around a value outside its usual range; the screen uses the same colour. */
const OUTSIDE_RING = '#a4231b';

/** pdfkit draws dash arrays, its typings only know a single length. */
function setDash(doc: Doc, dash: string): void {
  const parts = dash
    .split(/[\s,]+/)
    .map(Number)
    .filter((n) => Number.isFinite(n) && n > 0);
  if (parts.length === 0) doc.undash();
  else (doc.dash as unknown as (lengths: number[], options?: object) => Doc).call(doc, parts, {});
}

/** Text at (x, y) as its top-left corner (or centred / right-aligned on x), never wrapped. */
function label(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  opts: { size: number; bold?: boolean; color?: string; align?: 'left' | 'center' | 'right' },
): void {
  const t = text;
  doc
    .font(opts.bold ? BOLD : FONT)
    .fontSize(opts.size)
    .fillColor(opts.color ?? INK);
  const w = doc.widthOfString(t);
  const left = opts.align === 'center' ? x - w / 2 : opts.align === 'right' ? x - w : x;
  doc.text(t, left, y, { lineBreak: false });
}

/** A line-and-marker sample, as in the screen's legend. */
function drawSwatch(doc: Doc, style: SeriesStyle, x: number, y: number, width = 26): void {
  const s = width / 36;
  doc.save();
  doc.translate(x, y).scale(s);
  doc.lineWidth(3).lineCap('round');
  setDash(doc, style.dash);
  doc.moveTo(1, 0).lineTo(35, 0).stroke(style.color);
  doc.undash();
  doc
    .path(markerPath(style.marker, 18, 0, 5.5))
    .lineWidth(1)
    .fillAndStroke(style.color, '#ffffff');
  doc.restore();
}

/** Legend rows of swatch + text, wrapped to `width`; returns the height used. */
function drawLegend(doc: Doc, spec: ChartSpec, x: number, y: number, width: number, dryRun: boolean): number {
  if (spec.series.length <= 1) return 0;
  const size = 8;
  const rowH = 12;
  let cx = x;
  let cy = y;
  doc.font(FONT).fontSize(size);
  for (const se of spec.series) {
    const text = se.label + (se.values.every((v) => v === null) ? ' (not recorded)' : '');
    const w = 30 + doc.widthOfString(text) + 14;
    if (cx > x && cx + w > x + width) {
      cx = x;
      cy += rowH;
    }
    if (!dryRun) {
      drawSwatch(doc, se.style, cx, cy + rowH / 2 - 1.5);
      label(doc, text, cx + 30, cy + 1, { size, color: INK });
    }
    cx += w;
  }
  return cy - y + rowH + 2;
}

/** Height of a chart block (title, note, legend, chart) drawn `width` points wide. */
export function chartBlockHeight(
  doc: Doc,
  spec: ChartSpec,
  width: number,
  frame: Frame = PAPER_FRAME,
): number {
  return 26 + drawLegend(doc, spec, 0, 0, width, true) + frame.height * (width / frame.width) + 8;
}

/**
 * One chart block at (x, y), `width` points wide: title and how to read it, the legend, then the
 * chart (late sessions hatched, adverse events flagged above, one line per series with gaps where
 * nothing was recorded). Returns the height used.
 */
export function drawChartBlock(
  doc: Doc,
  spec: ChartSpec,
  sessions: readonly ProgressSession[],
  fmt: Formatter,
  x0: number,
  y0: number,
  width: number,
  frame: Frame = PAPER_FRAME,
): number {
  label(doc, spec.title, x0, y0, { size: 10.5, bold: true });
  doc.font(BOLD).fontSize(10.5);
  const titleW = doc.widthOfString(spec.title);
  label(doc, spec.note, x0 + titleW + 8, y0 + 2, { size: 8, color: MUTED });
  let y = y0 + 16;
  y += drawLegend(doc, spec, x0, y, width, false);
  y += 4;
  drawChart(doc, spec, sessions, fmt, x0, y, width, frame);
  return y - y0 + frame.height * (width / frame.width) + 8;
}

/** The chart itself, its frame scaled to `width` points, top-left at (x0, y0). */
function drawChart(
  doc: Doc,
  spec: ChartSpec,
  sessions: readonly ProgressSession[],
  fmt: Formatter,
  x0: number,
  y0: number,
  width: number,
  f: Frame = PAPER_FRAME,
): void {
  const s = width / f.width;
  const X = (u: number) => x0 + u * s;
  const Y = (u: number) => y0 + u * s;
  const n = sessions.length;
  const band = bandWidth(n, f);
  const bx = (i: number) => bandX(i, n, f);
  const y = yScale(spec.domain, f);
  const bottom = f.height - f.bottom;
  const right = f.width - f.right;
  const withYear = spansYears(sessions);

  doc.save();
  // Late sessions: a light band with diagonal hatching (it reads in grey print too).
  sessions.forEach((se, i) => {
    if (!se.late) return;
    const rx = X(bx(i) - band / 2);
    const ry = Y(f.top);
    const rw = band * s;
    const rh = (bottom - f.top) * s;
    doc.save();
    doc.rect(rx, ry, rw, rh).fill(LATE_FILL);
    doc.rect(rx, ry, rw, rh).clip();
    doc.lineWidth(0.9).strokeColor(LATE_HATCH);
    for (let d = -rh; d < rw; d += 5)
      doc
        .moveTo(rx + d, ry + rh)
        .lineTo(rx + d + rh, ry)
        .stroke();
    doc.restore();
  });

  // Grid lines and y tick labels.
  doc.lineWidth(0.5).undash();
  for (const t of spec.ticks) {
    doc
      .moveTo(X(f.left), Y(y(t)))
      .lineTo(X(right), Y(y(t)))
      .stroke(GRID);
    label(doc, spec.format(t), X(f.left - 10), Y(y(t)) - 3.2, { size: 7.5, align: 'right', color: INK });
  }
  if (spec.unit)
    label(doc, spec.unit, X(f.left - 10), Y(f.top - 30), { size: 7.5, align: 'right', color: MUTED });
  doc.lineWidth(0.9).moveTo(X(f.left), Y(bottom)).lineTo(X(right), Y(bottom)).stroke(AXIS);

  if (n === 0) {
    label(doc, 'No sessions yet', X(f.left + 20), Y(f.top + 30), { size: 9, color: MUTED });
  } else if (!hasAnyValue(spec)) {
    label(doc, 'Not recorded in this course', X((f.left + right) / 2), Y((f.top + bottom) / 2) - 4, {
      size: 9,
      color: MUTED,
      align: 'center',
    });
  }

  // The series: the screen's paths and markers, in frame units under a scale.
  const k = spec.series.length;
  spec.series.forEach((se, si) => {
    const dx = dodge(si, k, band);
    const px = (i: number) => bx(i) + dx;
    const d = linePath(se.values, px, y);
    doc.save();
    doc.translate(x0, y0).scale(s);
    if (d) {
      doc.lineWidth(3).lineCap('round').lineJoin('round');
      setDash(doc, se.style.dash);
      doc.path(d).stroke(se.style.color);
      doc.undash();
    }
    se.values.forEach((v, i) => {
      if (v === null) return;
      const outside = se.outside?.[i];
      if (outside) drawOutsideRing(doc, px(i), y(v), outside.grade === 'far');
      doc
        .path(markerPath(se.style.marker, px(i), y(v), 6.5))
        .lineWidth(1.5)
        .fillAndStroke(se.style.color, '#ffffff');
    });
    doc.restore();
  });

  // Session axis: number, date and interval under each band; late ones in bold brown.
  sessions.forEach((se, i) => {
    doc
      .lineWidth(0.9)
      .moveTo(X(bx(i)), Y(bottom))
      .lineTo(X(bx(i)), Y(bottom + 6))
      .stroke(AXIS);
    const cx = X(bx(i));
    label(doc, `#${se.number}`, cx, Y(bottom + 12), { size: 8, bold: true, align: 'center' });
    label(doc, fmt.shortDate(se.day, withYear), cx, Y(bottom + 32), {
      size: 7.5,
      align: 'center',
      bold: se.late,
      color: se.late ? LATE_INK : INK,
    });
    const interval = intervalTick(se);
    if (interval)
      label(doc, interval, cx, Y(bottom + 52), {
        size: 7,
        align: 'center',
        bold: se.late,
        color: se.late ? LATE_INK : MUTED,
      });
  });

  // Adverse events: a red warning triangle with "!" above the session.
  sessions.forEach((se, i) => {
    if (se.adverseEvents.length === 0) return;
    doc.save();
    doc.translate(x0, y0).scale(s);
    doc
      .path(markerPath('triangle', bx(i), f.top - 16, 11))
      .lineWidth(1.5)
      .fillAndStroke(AE_FILL, '#ffffff');
    doc.restore();
    label(doc, '!', X(bx(i)), Y(f.top - 16) - 3, {
      size: 7.5,
      bold: true,
      color: '#ffffff',
      align: 'center',
    });
  });
  doc.restore();
  doc.fillColor(INK).strokeColor(INK).lineWidth(1).undash();
}

/** A red ring around a marker outside its usual range (two rings when far outside), in frame units. */
function drawOutsideRing(doc: Doc, cx: number, cy: number, far: boolean): void {
  doc.circle(cx, cy, 11).lineWidth(2.2).undash().stroke(OUTSIDE_RING);
  if (far) doc.circle(cx, cy, 15).lineWidth(1.6).stroke(OUTSIDE_RING);
}

/** The key under the "Progress" heading: what the hatching, the red triangle and the red ring mean. */
export function drawChartKey(doc: Doc, x: number, y: number, lateAfterDays: number, outside = false): number {
  doc.save();
  doc.rect(x, y, 18, 10).fill(LATE_FILL);
  doc.rect(x, y, 18, 10).clip();
  doc.lineWidth(0.9).strokeColor(LATE_HATCH);
  for (let d = -10; d < 18; d += 5)
    doc
      .moveTo(x + d, y + 10)
      .lineTo(x + d + 10, y)
      .stroke();
  doc.restore();
  const lateText = `Late session: more than ${lateAfterDays} days after the planned interval`;
  label(doc, lateText, x + 24, y + 1.5, { size: 8, color: INK });
  doc.font(FONT).fontSize(8);
  const ax = x + 24 + doc.widthOfString(lateText) + 18;
  doc.save();
  doc.path(markerPath('triangle', ax + 6, y + 5.5, 6)).fillAndStroke(AE_FILL, '#ffffff');
  doc.restore();
  label(doc, '!', ax + 6, y + 3.2, { size: 5.5, bold: true, color: '#ffffff', align: 'center' });
  label(doc, 'Adverse event recorded at the session', ax + 16, y + 1.5, { size: 8, color: INK });
  if (!outside) {
    doc.fillColor(INK);
    return 16;
  }
  const oy = y + 15;
  doc.save();
  doc.translate(x + 9, oy + 5).scale(0.45);
  drawOutsideRing(doc, 0, 0, false);
  doc.restore();
  doc.save();
  doc.translate(x + 30, oy + 5).scale(0.45);
  drawOutsideRing(doc, 0, 0, true);
  doc.restore();
  label(
    doc,
    'Depth outside the usual range for the area (two rings: far outside, more than twice the nearer bound)',
    x + 42,
    oy + 1.5,
    { size: 8, color: INK },
  );
  doc.fillColor(INK);
  return 31;
}
