import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { ZONE_KEYS } from '../../../contract/domain.js';
import { openReader, type Db } from '../../../db/connection.js';
import { csvRows, liveSessionsBefore, type CsvSourceRow } from '../../../db/exportQueries.js';
import type { ServiceContext } from '../context.js';
import type { ResolvedSelection } from './selection.js';
import { finishFile, type ExportProgress } from './files.js';

/**
 * The clinic's sessions as a spreadsheet: one row per session, every field. This list is the single
 * source of truth for the columns (README "CSV columns" repeats it for readers).
 *
 * Conventions: timestamps are ISO-8601 UTC (`2026-03-31T14:30:00.000Z`), days ISO (`2026-03-31`);
 * units or scales are in the header (`_mm`, `_minutes`, `_0_10`); codes are the stable keys of the
 * clinical vocabulary (`lips_perioral`, `emla`, `pih`); yes/no fields are `yes` or `no`; an empty
 * cell is a value not recorded. RFC 4180 (CRLF, fields quoted when needed, by csvLine), UTF-8 with a BOM so
 * spreadsheet programs show "Zoë" right. A text cell that starts with `=`, `+`, `-`, `@`, a tab or
 * a carriage return gets a leading `'` (OWASP CSV injection); numbers are written as numbers.
 */
interface CsvColumn {
  header: string;
  description: string;
  value: (r: CsvSourceRow) => string | number | null;
}

const yesNo = (n: number) => (n === 1 ? 'yes' : 'no');

interface EventSummary {
  kind: string;
  severity: string;
  onset: string;
  resolved: string | null;
}

/** "pih (moderate, onset 2026-04-02, resolved 2026-04-20); acne_flare (mild, onset 2026-04-03)". */
function summariseEvents(eventsJson: string): string {
  const events = JSON.parse(eventsJson) as EventSummary[];
  return events
    .map((e) => `${e.kind} (${e.severity}, onset ${e.onset}${e.resolved ? `, resolved ${e.resolved}` : ''})`)
    .join('; ');
}

/** "2026-03-03T10:00:00.000Z by Dr A: pain misheard [pain]; …". */
function summariseAddenda(addendaJson: string): string {
  const addenda = JSON.parse(addendaJson) as { at: string; by: string; reason: string; fields: string[] }[];
  return addenda
    .map((a) => `${a.at} by ${a.by}: ${a.reason}${a.fields.length ? ` [${a.fields.join(', ')}]` : ''}`)
    .join('; ');
}

/**
 * A row's zone depths (or passes), parsed once for all of its zone columns (rows are written one
 * after another).
 */
function perZone(json: (r: CsvSourceRow) => string): (r: CsvSourceRow) => Record<string, number> {
  let row: CsvSourceRow | null = null;
  let parsed: Record<string, number> = {};
  return (r) => {
    if (row !== r) {
      parsed = JSON.parse(json(r)) as Record<string, number>;
      row = r;
    }
    return parsed;
  };
}
const zonesOf = perZone((r) => r.zones_json);
const zonePassesOf = perZone((r) => r.zone_passes_json);

const zoneColumns: CsvColumn[] = ZONE_KEYS.map((zone) => ({
  header: `depth_${zone}_mm`,
  description: `Needle depth in the ${zone} zone, millimetres (empty: zone not treated)`,
  value: (r) => zonesOf(r)[zone] ?? null,
}));

// After every older column, so a spreadsheet or script reading columns by position keeps working.
const zonePassesColumns: CsvColumn[] = ZONE_KEYS.map((zone) => ({
  header: `passes_${zone}`,
  description: `Passes in the ${zone} zone (empty: not treated, or passes not recorded per zone)`,
  value: (r) => zonePassesOf(r)[zone] ?? null,
}));

const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: 'session_id', description: 'Session id (UUIDv7)', value: (r) => r.id },
  {
    header: 'session_number',
    description: 'Position within the course by session time (0 for a deleted session)',
    value: (r) => (r.deleted_at === null ? r.number : 0),
  },
  {
    header: 'performed_at',
    description: 'Session date and time, ISO-8601 UTC',
    value: (r) => r.performed_at,
  },
  { header: 'client_id', description: 'Client id', value: (r) => r.client_id },
  { header: 'client_first_name', description: 'Client first name', value: (r) => r.client_first_name },
  { header: 'client_last_name', description: 'Client last name', value: (r) => r.client_last_name },
  {
    header: 'client_date_of_birth',
    description: 'Client date of birth, ISO date',
    value: (r) => r.client_date_of_birth,
  },
  {
    header: 'client_fitzpatrick_1_6',
    description: 'Fitzpatrick skin type, 1–6 (I–VI)',
    value: (r) => r.client_fitzpatrick,
  },
  { header: 'course_id', description: 'Course id', value: (r) => r.course_id },
  {
    header: 'course_area',
    description: 'Main treatment area of the course (code)',
    value: (r) => r.course_area,
  },
  {
    header: 'course_indication',
    description: 'Indication of the course (code)',
    value: (r) => r.course_indication,
  },
  {
    header: 'course_status',
    description: 'active, paused, completed or cancelled',
    value: (r) => r.course_status,
  },
  { header: 'course_started_on', description: 'Course start, ISO date', value: (r) => r.course_started_on },
  { header: 'practitioner_id', description: 'Practitioner id', value: (r) => r.practitioner_id },
  { header: 'practitioner_name', description: 'Practitioner name', value: (r) => r.practitioner_name },
  { header: 'device', description: 'Device', value: (r) => r.device },
  {
    header: 'cartridge_type',
    description: 'Cartridge type (e.g. 12-pin, nano)',
    value: (r) => r.cartridge_type,
  },
  { header: 'cartridge_lot', description: 'Cartridge lot number', value: (r) => r.cartridge_lot },
  ...zoneColumns,
  { header: 'passes', description: 'Number of passes (the whole session)', value: (r) => r.passes },
  { header: 'speed_setting', description: 'Device speed setting', value: (r) => r.speed },
  { header: 'glide', description: 'Glide / serum', value: (r) => r.glide },
  { header: 'glide_lot', description: 'Glide / serum lot number', value: (r) => r.glide_lot },
  { header: 'numbing_agent', description: 'Numbing agent (code)', value: (r) => r.numbing_agent },
  { header: 'numbing_lot', description: 'Numbing agent lot number', value: (r) => r.numbing_lot },
  {
    header: 'numbing_concentration',
    description: 'Concentration when the agent is "other"',
    value: (r) => r.numbing_concentration,
  },
  {
    header: 'numbing_minutes',
    description: 'Numbing application time, minutes',
    value: (r) => r.numbing_minutes,
  },
  {
    header: 'numbing_occlusion',
    description: 'Numbing under occlusion, yes/no',
    value: (r) => yesNo(r.numbing_occlusion),
  },
  { header: 'numbing_area', description: 'Area covered by the numbing agent', value: (r) => r.numbing_area },
  {
    header: 'procedure_minutes',
    description: 'Procedure duration, minutes',
    value: (r) => r.procedure_minutes,
  },
  { header: 'pain_0_10', description: 'Pain score, 0–10 (VAS/NRS)', value: (r) => r.pain },
  { header: 'erythema_0_3', description: 'Immediate erythema, 0–3', value: (r) => r.erythema },
  { header: 'edema_0_3', description: 'Immediate edema, 0–3', value: (r) => r.edema },
  { header: 'bleeding_0_3', description: 'Pinpoint bleeding, 0–3', value: (r) => r.bleeding },
  {
    header: 'aftercare',
    description: 'Aftercare given, codes joined by ";"',
    value: (r) => (JSON.parse(r.aftercare) as string[]).join(';'),
  },
  {
    header: 'gais_practitioner_1_5',
    description: 'GAIS by the practitioner, 1 (very much improved) – 5 (worse)',
    value: (r) => r.gais_practitioner,
  },
  { header: 'gais_client_1_5', description: 'GAIS by the client, 1–5', value: (r) => r.gais_client },
  { header: 'satisfaction_0_10', description: 'Client satisfaction, 0–10', value: (r) => r.satisfaction },
  {
    header: 'lip_fullness_upper_1_5',
    description: 'Upper lip fullness, 1–5',
    value: (r) => r.lip_fullness_upper,
  },
  {
    header: 'lip_fullness_lower_1_5',
    description: 'Lower lip fullness, 1–5',
    value: (r) => r.lip_fullness_lower,
  },
  {
    header: 'goodman_baron_1_4',
    description: 'Goodman & Baron acne scar grade, 1–4',
    value: (r) => r.goodman_baron,
  },
  {
    header: 'consent_procedure',
    description: 'Procedure consent confirmed, yes/no',
    value: (r) => yesNo(r.consent_procedure),
  },
  {
    header: 'photo_consent',
    description: 'Photo consent scope: none, record, teaching, marketing',
    value: (r) => r.photo_consent,
  },
  {
    header: 'adverse_events',
    description:
      'Adverse events of the session: "kind (severity, onset DATE[, resolved DATE])" joined by "; "',
    value: (r) => summariseEvents(r.events_json),
  },
  { header: 'photo_count', description: 'Photos filed under the session', value: (r) => r.photo_count },
  {
    header: 'signed_by',
    description: 'Practitioner who signed the session (empty: not signed)',
    value: (r) => r.signed_by,
  },
  {
    header: 'signed_at',
    description: 'When the session was signed, ISO-8601 UTC',
    value: (r) => r.signed_at,
  },
  {
    header: 'cosigned_by',
    description: 'Manager who co-signed the session (empty: no co-signature)',
    value: (r) => r.cosigned_by,
  },
  { header: 'cosigned_at', description: 'When it was co-signed, ISO-8601 UTC', value: (r) => r.cosigned_at },
  {
    header: 'addenda',
    description:
      'Corrections after signing: "TIME by NAME: reason [changed fields]" joined by "; " (the values are in the bundle and the PDF)',
    value: (r) => summariseAddenda(r.addenda_json),
  },
  {
    header: 'consent_signed_at',
    description: "When the course's latest consent form was signed, ISO-8601 UTC (empty: none on file)",
    value: (r) => r.consent_signed_at,
  },
  {
    header: 'consent_override_reason',
    description: 'Why the session was logged without signed consent on file',
    value: (r) => r.consent_override_reason,
  },
  { header: 'notes', description: 'Session notes', value: (r) => r.notes },
  { header: 'created_at', description: 'Record created, ISO-8601 UTC', value: (r) => r.created_at },
  { header: 'updated_at', description: 'Record last changed, ISO-8601 UTC', value: (r) => r.updated_at },
  {
    header: 'deleted_at',
    description: 'Record deleted (empty: live), ISO-8601 UTC',
    value: (r) => r.deleted_at,
  },
  ...zonePassesColumns,
];

export const CSV_HEADERS: readonly string[] = CSV_COLUMNS.map((c) => c.header);

const FORMULA_START = /^[=+\-@\t\r]/;

/** OWASP CSV injection defence for one text cell: a leading `'` keeps a spreadsheet from evaluating it. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Rows fetched per query; the event loop gets a turn between batches. */
const BATCH = 1000;
/**
 * The export connection's page cache: a clinic-wide export reads nearly every page of the sessions
 * and their zones; with the default 16 MiB most of them were read and decrypted again and again.
 * Pages are cached only as read, so a small clinic or a one-course export uses what it needs.
 */
const READER_CACHE_MIB = 128;

/** CSV cells: numbers as numbers, text neutralised, nothing recorded as "". */
export function csvCells(values: readonly (string | number | null)[]): (string | number)[] {
  return values.map((v) => (v === null ? '' : typeof v === 'string' ? neutralise(v) : v));
}

/** The CSV cells of one session. */
function csvRecord(r: CsvSourceRow): (string | number)[] {
  return csvCells(CSV_COLUMNS.map((c) => c.value(r)));
}

/** A CSV stream with our conventions: UTF-8 BOM, a header row, CRLF (RFC 4180), numbers as written. */
export function csvStringifier(headers: readonly string[]) {
  return stringify({
    bom: true,
    header: true,
    columns: [...headers],
    record_delimiter: '\r\n',
    // Every value is already a string or a number; numbers keep their shortest exact form.
    cast: { number: (n) => String(n) },
  });
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 record: a field holding a comma, a quote, CR or LF is quoted, with its quotes
 * doubled; numbers in their shortest exact form; CRLF at the end. (Written here rather than by
 * csv-stringify, which spent more time than the whole database side of the export.)
 */
export function csvLine(cells: readonly (string | number)[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const text = typeof cell === 'number' ? String(cell) : cell;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
  return `${line}\r\n`;
}

/**
 * Streams the selection's sessions as CSV into `file` (written under a temporary name, synced,
 * then renamed).
 */
export async function writeCsv(
  ctx: ServiceContext,
  selection: ResolvedSelection,
  file: string,
  onProgress: ExportProgress = () => {},
): Promise<{ rows: number }> {
  let rows = 0;
  await finishFile(file, async (tmp) => {
    ({ rows } = await streamCsv(
      ctx,
      selection,
      fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
      onProgress,
    ));
  });
  return { rows };
}

/**
 * Numbers the sessions as they are written, when the selection holds every live session of each of
 * its courses from its start date on (no practitioner filter): the n-th live session of a course in
 * time order is number n, counted from the live sessions before the period.
 */
function sessionNumberer(db: Db, selection: ResolvedSelection): ((r: CsvSourceRow) => void) | null {
  const p = selection.params;
  if (p.practitionerId) return null;
  const seen = p.fromAt ? liveSessionsBefore(db, p.fromAt) : new Map<string, number>();
  return (r) => {
    if (r.deleted_at !== null) return;
    const n = (seen.get(r.course_id) ?? 0) + 1;
    seen.set(r.course_id, n);
    r.number = n;
  };
}

/**
 * The selection's sessions as CSV into `out`: rows are fetched in batches, written with
 * back-pressure, and the event loop is free between batches, so a host keeps answering during a
 * clinic-wide export. They are read on a connection of the export's own, from one snapshot: a
 * session saved meanwhile neither appears half-way nor shifts the numbers.
 */
export async function streamCsv(
  ctx: ServiceContext,
  selection: ResolvedSelection,
  out: Writable,
  onProgress: ExportProgress = () => {},
  batch = BATCH,
): Promise<{ rows: number }> {
  const ids = selection.sessionIds;
  const total = ids.length;
  const done = finished(out);
  const reader = openReader(ctx.db, READER_CACHE_MIB);
  const db = reader ?? ctx.db;
  let rows = 0;
  try {
    const number = sessionNumberer(db, selection);
    // UTF-8 with a BOM, so spreadsheet programs show "Zoë" right.
    let chunk = `\ufeff${csvLine(CSV_HEADERS)}`;
    for (let i = 0; i < total; i += batch) {
      for (const r of csvRows(db, ids.slice(i, i + batch), selection.params.includeDeleted, !number)) {
        number?.(r);
        chunk += csvLine(csvRecord(r));
        rows++;
      }
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
      onProgress({ done: Math.min(i + batch, total), total, label: 'Writing the sessions' });
      await new Promise((resolve) => setImmediate(resolve));
    }
    out.end(chunk);
    await done;
  } catch (err) {
    out.destroy();
    await done.catch(() => {});
    throw err;
  } finally {
    reader?.close();
  }
  return { rows };
}
