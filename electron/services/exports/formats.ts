import type { ExportFormat } from '../../../contract/exports.js';
import type { ServiceContext } from '../context.js';
import { writeBundle, type BundleDocumentMaker, type BundleSecret } from './exportBundle.js';
import { streamCsv, writeCsv } from './exportCsv.js';
import { checkPdfSelection, pdfReportDocument, writePdfExport } from './exportPdf.js';
import type { ExportProgress } from './files.js';
import type { ResolvedSelection } from './selection.js';

/**
 * The export formats: what the CLI's --format, the export panel's choice and the `exports.start`
 * channel offer. Each one writes the whole file for a resolved selection.
 *
 * Adding a format (the PDF course report): add its key to EXPORT_FORMATS (contract/exports.ts),
 * its entry here, and — to have it inside archive bundles too — its maker to `bundleDocuments`.
 */
interface ExportFormatDef {
  extension: string;
  mime: string;
  /** Refuses selections the format cannot express, with a message for the person (optional). */
  check?: (selection: ResolvedSelection) => void;
  write(
    ctx: ServiceContext,
    selection: ResolvedSelection,
    file: string,
    onProgress: ExportProgress,
    secret?: BundleSecret,
  ): Promise<void | number>;
}

/** The CSV inside a bundle: the same file as the CSV export. */
const csvDocument: BundleDocumentMaker = async (ctx, selection, scratch, onProgress) => {
  const file = scratch.file('sessions.csv');
  // The sessions records.json holds: the CSV reads its own snapshot, a moment later.
  await streamCsv(ctx, selection, file.createWriteStream(), onProgress, undefined, {
    sessionIds: new Set(selection.sessionIds),
  });
  return { name: 'sessions.csv', file };
};

/**
 * PDF SEAM: the documents every archive bundle carries besides records.json and the photos, in
 * this order. The PDF engineer adds one line here: `pdfReportDocument` (a BundleDocumentMaker
 * that writes report.pdf for course selections and returns null for others).
 */
export const bundleDocuments: BundleDocumentMaker[] = [csvDocument, pdfReportDocument];

export const exportFormats: Record<ExportFormat, ExportFormatDef> = {
  csv: {
    extension: 'csv',
    mime: 'text/csv; charset=utf-8',
    // The sessions written, from the export's own snapshot.
    async write(ctx, selection, file, onProgress) {
      return (await writeCsv(ctx, selection, file, onProgress)).rows;
    },
  },
  pdf: {
    extension: 'pdf',
    mime: 'application/pdf',
    check: checkPdfSelection,
    write: writePdfExport,
  },
  zip: {
    extension: 'zip',
    mime: 'application/zip',
    async write(ctx, selection, file, onProgress, secret) {
      if (!secret) throw new Error('An archive bundle needs a passphrase.');
      await writeBundle(ctx, selection, file, bundleDocuments, onProgress, secret);
    },
  },
};
