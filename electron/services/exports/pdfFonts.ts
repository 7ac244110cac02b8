import { createRequire } from 'node:module';
import type PDFDocument from 'pdfkit';

/*
 * The report embeds DejaVu Sans Condensed (close to Helvetica's widths; freely licensed, from the dejavu-fonts-ttf package) rather than a
 * standard PDF font: Helvetica's WinAnsi encoding cannot show "ł", "ř", Greek or Cyrillic, and a
 * client's name must print exactly as it was entered.
 */
export const FONT = 'NeedleLog Sans';
export const BOLD = 'NeedleLog Sans Bold';

const fontFile = (name: string) => createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${name}`);

export function registerFonts(doc: PDFKit.PDFDocument | InstanceType<typeof PDFDocument>): void {
  doc.registerFont(FONT, fontFile('DejaVuSansCondensed.ttf'));
  doc.registerFont(BOLD, fontFile('DejaVuSansCondensed-Bold.ttf'));
}
