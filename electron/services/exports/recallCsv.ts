import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { LotRecall, LotUse } from '../../../contract/lots.js';
import { logAccess } from '../auth.js';
import type { ServiceContext } from '../context.js';
import { csvCells, csvStringifier } from './exportCsv.js';
import { finishFile } from './files.js';

/**
 * The list of a lot recall as a spreadsheet, one row per session that used the lot, with the
 * conventions of the session CSV (exportCsv.ts): UTF-8 with a BOM, RFC 4180, ISO dates, codes of the
 * vocabulary, the formula guard on every text cell.
 */
export const RECALL_CSV_COLUMNS: readonly {
  header: string;
  value: (u: LotUse, lot: string) => string | number | null;
}[] = [
  { header: 'lot', value: (_u, lot) => lot },
  { header: 'used_as', value: (u) => u.usedAs.join(';') },
  { header: 'performed_at', value: (u) => u.performedAt },
  { header: 'session_id', value: (u) => u.sessionId },
  { header: 'session_number', value: (u) => u.sessionNumber },
  { header: 'client_id', value: (u) => u.clientId },
  { header: 'client_first_name', value: (u) => u.clientFirstName },
  { header: 'client_last_name', value: (u) => u.clientLastName },
  { header: 'client_date_of_birth', value: (u) => u.clientDateOfBirth },
  { header: 'client_phone', value: (u) => u.clientPhone },
  { header: 'client_email', value: (u) => u.clientEmail },
  { header: 'course_id', value: (u) => u.courseId },
  { header: 'course_area', value: (u) => u.courseArea },
  { header: 'practitioner_id', value: (u) => u.practitionerId },
  { header: 'practitioner_name', value: (u) => u.practitionerName },
  { header: 'device', value: (u) => u.device },
  { header: 'cartridge_type', value: (u) => u.cartridgeType },
  { header: 'cartridge_lot', value: (u) => u.cartridgeLot },
  { header: 'numbing_agent', value: (u) => u.numbingAgent },
  { header: 'numbing_lot', value: (u) => u.numbingLot },
  { header: 'glide', value: (u) => u.glide },
  { header: 'glide_lot', value: (u) => u.glideLot },
  { header: 'deleted_at', value: (u) => u.deletedAt },
];

/** Writes the recall's sessions to `file`, whole or not at all (temporary name, sync, rename). */
export async function writeRecallCsv(recall: LotRecall, file: string): Promise<{ rows: number }> {
  await finishFile(file, async (tmp) => {
    const csv = csvStringifier(RECALL_CSV_COLUMNS.map((c) => c.header));
    const done = pipeline(csv, fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    // A recall is a few hundred rows at most; written in one go.
    for (const u of recall.sessions)
      csv.write(csvCells(RECALL_CSV_COLUMNS.map((c) => c.value(u, recall.lot))));
    csv.end();
    await done;
  });
  return { rows: recall.sessions.length };
}

/** Writes the recall's CSV and records the export in the activity log, as the signed-in practitioner. */
export async function exportRecallCsv(
  ctx: ServiceContext,
  recall: LotRecall,
  file: string,
): Promise<{ rows: number }> {
  const written = await writeRecallCsv(recall, file);
  logAccess(ctx, 'export', 'lot', recall.lot, {
    format: 'csv',
    what: `lot recall of ${recall.lot}${recall.includeDeleted ? ', deleted records included' : ''}`,
    sessions: written.rows,
  });
  return written;
}
