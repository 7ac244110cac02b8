import path from 'node:path';
import { AREAS, LOT_KINDS, type Area, type LotKind } from '../../contract/domain.js';
import type { LotRecall } from '../../contract/lots.js';
import { closeDatabase } from '../../db/connection.js';
import { AppError } from '../services/errors.js';
import { exportRecallCsv } from '../services/exports/recallCsv.js';
import { createServices } from '../services/index.js';
import { openExistingClinic } from './openClinic.js';
import type { ClinicAccess } from './unlock.js';

type Out = (line: string) => void;

export const RECALL_USAGE = `  recall --data-dir DIR --lot LOT --as NAME [--csv FILE] [--include-deleted]
                                        every client and session that used the lot (cartridge,
                                        numbing agent or glide / serum), with contact details;
                                        --csv writes the list as CSV. Exit 0: sessions found,
                                        1: none found (or failure)`;

interface RecallArgs {
  lot?: string;
  csv?: string;
  'include-deleted'?: boolean;
}

/** "2026-03-02 09:30Z": ISO, to the minute, in UTC (the CLI does not guess a time zone). */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
const usedAs = (kinds: readonly LotKind[]) => kinds.map((k) => LOT_KINDS[k].toLowerCase()).join(', ');

/** Rows as a plain-text table: columns padded to their widest cell, two spaces apart. */
function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function recallLines(r: LotRecall): string[] {
  const kinds = (Object.keys(LOT_KINDS) as LotKind[]).filter((k) => r.byKind[k] > 0);
  const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
  const clients = table(
    ['Client', 'Born', 'Phone', 'Email', 'Sessions', 'First use', 'Last use', 'Used as'],
    r.clients.map((c) => [
      `${c.lastName}, ${c.firstName}`,
      c.dateOfBirth ?? '-',
      c.phone || '-',
      c.email || '-',
      String(c.sessions),
      when(c.firstUse),
      when(c.lastUse),
      usedAs(c.usedAs),
    ]),
  );
  const sessions = table(
    ['Date', 'Client', 'Session', 'Practitioner', 'Used as', 'Cartridge lot', 'Numbing lot', 'Glide lot'],
    r.sessions.map((s) => [
      when(s.performedAt),
      `${s.clientLastName}, ${s.clientFirstName}`,
      `${AREAS[s.courseArea as Area] ?? s.courseArea} #${s.sessionNumber}${s.deletedAt ? ' (deleted)' : ''}`,
      s.practitionerName,
      usedAs(s.usedAs),
      s.cartridgeLot || '-',
      s.numbingLot || '-',
      s.glideLot || '-',
    ]),
  );
  return [
    `Lot ${r.lot}: ${n(r.clients.length, 'client')}, ${n(r.sessions.length, 'session')}; first used ${when(r.firstUse as string)}, last used ${when(r.lastUse as string)}.`,
    `Recorded as ${kinds.map((k) => `${LOT_KINDS[k].toLowerCase()} lot (${n(r.byKind[k], 'session')})`).join('; ')}.`,
    '',
    'Clients',
    ...clients.map((l) => `  ${l}`),
    '',
    'Sessions',
    ...sessions.map((l) => `  ${l}`),
  ];
}

export async function runRecallCommand(
  dataDir: string,
  a: RecallArgs,
  access: ClinicAccess,
  out: Out,
  err: Out,
): Promise<number> {
  if (a.lot === undefined || a.lot.trim() === '') {
    err('recall needs --lot LOT: the lot number to look for.');
    return 2;
  }
  const unlocked = await access.unlock();
  if (typeof unlocked === 'number') return unlocked;
  const actorId = await access.signIn(unlocked.key);
  if (typeof actorId === 'number') return actorId;
  const db = openExistingClinic(dataDir, unlocked.key, err);
  if (!db) return 1;
  try {
    const services = createServices(db);
    services.actAs(actorId);
    let recall: LotRecall;
    try {
      recall = services.lots.recall({ lot: a.lot, includeDeleted: a['include-deleted'] ?? false });
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input') {
        err(e.message);
        return 2;
      }
      throw e;
    }
    if (recall.sessions.length === 0) {
      out(
        `No ${recall.includeDeleted ? '' : 'live '}session recorded lot ${recall.lot} (as cartridge, numbing agent or glide / serum lot).`,
      );
    } else {
      recallLines(recall).forEach((l) => out(l));
    }
    if (a.csv !== undefined) {
      const file = path.resolve(a.csv);
      const { rows } = await exportRecallCsv(services.ctx, recall, file);
      out(`Written: ${file} (${rows} sessions).`);
    }
    return recall.sessions.length > 0 ? 0 : 1;
  } catch (e) {
    err(`Recall failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}
