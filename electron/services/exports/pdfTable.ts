import { ACCENT, CONTENT_W, HEAD_FILL, INK, MARGIN, MUTED, RULE, ZEBRA, type Report } from './pdfLayout.js';

/** Label/value rows in a column; returns the height used. */
export function drawFacts(
  r: Report,
  title: string,
  rows: [string, string][],
  x: number,
  y: number,
  width: number,
): number {
  const labelW = 92;
  let cy = y;
  cy += r.text(title, x, cy, { size: 10.5, bold: true, color: ACCENT }) + 3;
  for (const [k, v] of rows) {
    const h = Math.max(r.heightOf(v, width - labelW, 9), r.heightOf(k, labelW - 6, 8.5), 11);
    r.text(k, x, cy, { size: 8.5, color: MUTED, width: labelW - 6 });
    r.text(v, x + labelW, cy, { size: 9, width: width - labelW });
    cy += h + 3;
  }
  return cy - y;
}

const CELL_PAD = 3;
const TABLE_SIZE = 7.5;

/** A table with a header row that repeats on each new page; rows never split. */
export async function drawTable<Row>(
  r: Report,
  columns: {
    title: string;
    width: number;
    align?: 'left' | 'center' | 'right';
    text: (row: Row) => string;
    /** Ink for a cell that needs a second look. */
    color?: (row: Row) => string | undefined;
  }[],
  rows: readonly Row[],
  continued: string,
): Promise<void> {
  const header = () => {
    const h =
      Math.max(...columns.map((c) => r.heightOf(c.title, c.width - 2 * CELL_PAD, 7, true))) + 2 * CELL_PAD;
    r.doc.save().rect(MARGIN.left, r.y, CONTENT_W, h).fill(HEAD_FILL).restore();
    let x = MARGIN.left;
    for (const c of columns) {
      r.text(c.title, x + CELL_PAD, r.y + CELL_PAD, {
        size: 7,
        bold: true,
        width: c.width - 2 * CELL_PAD,
        align: c.align ?? 'left',
      });
      x += c.width;
    }
    r.y += h;
    r.rule(r.y, MUTED, 0.7);
    return h;
  };
  const headerH =
    Math.max(...columns.map((c) => r.heightOf(c.title, c.width - 2 * CELL_PAD, 7, true))) + 2 * CELL_PAD;
  const rowHeight = (row: Row) =>
    Math.max(...columns.map((c) => r.heightOf(c.text(row), c.width - 2 * CELL_PAD, TABLE_SIZE))) +
    2 * CELL_PAD;
  // Keep the header with at least the first row.
  await r.ensure(headerH + (rows[0] === undefined ? 14 : rowHeight(rows[0])));
  header();
  let zebra = false;
  for (const row of rows) {
    const h = rowHeight(row);
    if (await r.ensure(h)) {
      r.text(continued, MARGIN.left, r.y, { size: 8, color: MUTED });
      r.y += 12;
      header();
    }
    if (zebra) r.doc.save().rect(MARGIN.left, r.y, CONTENT_W, h).fill(ZEBRA).restore();
    zebra = !zebra;
    let x = MARGIN.left;
    for (const c of columns) {
      r.text(c.text(row), x + CELL_PAD, r.y + CELL_PAD, {
        size: TABLE_SIZE,
        color: c.color?.(row) ?? INK,
        width: c.width - 2 * CELL_PAD,
        align: c.align ?? 'left',
      });
      x += c.width;
    }
    r.y += h;
    r.rule(r.y, RULE, 0.4);
  }
  r.y += 8;
}
