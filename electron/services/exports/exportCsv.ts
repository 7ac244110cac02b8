import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { ZONE_KEYS } from '../../../contract/domain.js';
import { openReader, type Db } from '../../../db/connection.js';
import {
  liveSessionsBefore,
  selectedSessionRowids,
  type SelectionParams,
} from '../../../db/exportQueries.js';
import {
  csvAddenda,
  csvAdverseEvents,
  csvConsentOverrides,
  csvCourses,
  csvPhotoCounts,
  csvPractitioners,
  csvSessionsAfter,
  csvSessionsByRowid,
  csvSignatures,
  maxSessionRowid,
  nonEmptyTables,
  SESSION_CELL,
  SESSION_NUMBER_CELL,
  SESSION_ROWID_CELL,
  SESSION_ZONES_CELL,
  type CsvChildTable,
  type CsvSessionCells,
  type CsvSessionColumn,
} from '../../../db/csvQueries.js';
import type { ServiceContext } from '../context.js';
import type { ResolvedSelection } from './selection.js';
import { lineSorter } from './csvSort.js';
import { exportsDir, finishFile, type ExportProgress } from './files.js';

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
  value: (r: CsvRow) => string | number | null;
}

/** A course of the export with its client and its latest signed consent. */
export interface CsvCourse {
  id: string;
  area: string;
  indication: string;
  status: string;
  startedOn: string;
  clientId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  fitzpatrick: number | null;
  consentSignedAt: string | null;
  live: boolean;
  /** What the session numbers are counted by (a number: 300k course ids were 30 MB at 100k clients). */
  rowid: number;
}

/** One session with everything its line shows, gathered for its batch. */
export interface CsvRow {
  s: CsvSessionCells;
  /** Its number in its course; null while the line waits to be numbered in time order. */
  number: number | null;
  course: CsvCourse;
  practitionerName: string;
  /** By ZONE_KEYS: the zone's depth (mm) and passes, null where not treated or not recorded. */
  depths: readonly (number | null)[];
  zonePasses: readonly (number | null)[];
  adverseEvents: string;
  photoCount: number;
  signedBy: string | null;
  signedAt: string | null;
  cosignedBy: string | null;
  cosignedAt: string | null;
  addenda: string;
  consentOverrideReason: string | null;
}

const yesNo = (n: unknown) => (n === 1 ? 'yes' : 'no');

/** A stored session column as it is. */
function stored(column: CsvSessionColumn): (r: CsvRow) => string | number | null {
  const i = SESSION_CELL[column];
  return (r) => r.s[i]!;
}

/** "pih (moderate, onset 2026-04-02, resolved 2026-04-20)", one event of the adverse_events cell. */
function eventText(kind: string, severity: string, onset: string, resolved: string | null): string {
  return `${kind} (${severity}, onset ${onset}${resolved ? `, resolved ${resolved}` : ''})`;
}

/** "2026-03-03T10:00:00.000Z by Dr A: pain misheard [pain]", one addendum of the addenda cell. */
function addendumText(at: string, by: string, reason: string, fieldsJson: string): string {
  const fields = JSON.parse(fieldsJson) as string[];
  return `${at} by ${by}: ${reason}${fields.length ? ` [${fields.join(', ')}]` : ''}`;
}

const zoneColumns: CsvColumn[] = ZONE_KEYS.map((zone, i) => ({
  header: `depth_${zone}_mm`,
  description: `Needle depth in the ${zone} zone, millimetres (empty: zone not treated)`,
  value: (r) => r.depths[i]!,
}));

// After every older column, so a spreadsheet or script reading columns by position keeps working.
const zonePassesColumns: CsvColumn[] = ZONE_KEYS.map((zone, i) => ({
  header: `passes_${zone}`,
  description: `Passes in the ${zone} zone (empty: not treated, or passes not recorded per zone)`,
  value: (r) => r.zonePasses[i]!,
}));

const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: 'session_id', description: 'Session id (UUIDv7)', value: stored('id') },
  {
    header: 'session_number',
    description: 'Position within the course by session time (0 for a deleted session)',
    value: (r) => (r.s[DELETED_AT] === null ? r.number : 0),
  },
  {
    header: 'performed_at',
    description: 'Session date and time, ISO-8601 UTC',
    value: stored('performed_at'),
  },
  { header: 'client_id', description: 'Client id', value: (r) => r.course.clientId },
  { header: 'client_first_name', description: 'Client first name', value: (r) => r.course.firstName },
  { header: 'client_last_name', description: 'Client last name', value: (r) => r.course.lastName },
  {
    header: 'client_date_of_birth',
    description: 'Client date of birth, ISO date',
    value: (r) => r.course.dateOfBirth,
  },
  {
    header: 'client_fitzpatrick_1_6',
    description: 'Fitzpatrick skin type, 1–6 (I–VI)',
    value: (r) => r.course.fitzpatrick,
  },
  { header: 'course_id', description: 'Course id', value: (r) => r.course.id },
  {
    header: 'course_area',
    description: 'Main treatment area of the course (code)',
    value: (r) => r.course.area,
  },
  {
    header: 'course_indication',
    description: 'Indication of the course (code)',
    value: (r) => r.course.indication,
  },
  {
    header: 'course_status',
    description: 'active, paused, completed or cancelled',
    value: (r) => r.course.status,
  },
  { header: 'course_started_on', description: 'Course start, ISO date', value: (r) => r.course.startedOn },
  { header: 'practitioner_id', description: 'Practitioner id', value: stored('practitioner_id') },
  { header: 'practitioner_name', description: 'Practitioner name', value: (r) => r.practitionerName },
  { header: 'device', description: 'Device', value: stored('device') },
  {
    header: 'cartridge_type',
    description: 'Cartridge type (e.g. 12-pin, nano)',
    value: stored('cartridge_type'),
  },
  { header: 'cartridge_lot', description: 'Cartridge lot number', value: stored('cartridge_lot') },
  ...zoneColumns,
  { header: 'passes', description: 'Number of passes (the whole session)', value: stored('passes') },
  { header: 'speed_setting', description: 'Device speed setting', value: stored('speed') },
  { header: 'glide', description: 'Glide / serum', value: stored('glide') },
  { header: 'glide_lot', description: 'Glide / serum lot number', value: stored('glide_lot') },
  { header: 'numbing_agent', description: 'Numbing agent (code)', value: stored('numbing_agent') },
  { header: 'numbing_lot', description: 'Numbing agent lot number', value: stored('numbing_lot') },
  {
    header: 'numbing_concentration',
    description: 'Concentration when the agent is "other"',
    value: stored('numbing_concentration'),
  },
  {
    header: 'numbing_minutes',
    description: 'Numbing application time, minutes',
    value: stored('numbing_minutes'),
  },
  {
    header: 'numbing_occlusion',
    description: 'Numbing under occlusion, yes/no',
    value: (r) => yesNo(r.s[SESSION_CELL.numbing_occlusion]),
  },
  { header: 'numbing_area', description: 'Area covered by the numbing agent', value: stored('numbing_area') },
  {
    header: 'procedure_minutes',
    description: 'Procedure duration, minutes',
    value: stored('procedure_minutes'),
  },
  { header: 'pain_0_10', description: 'Pain score, 0–10 (VAS/NRS)', value: stored('pain') },
  { header: 'erythema_0_3', description: 'Immediate erythema, 0–3', value: stored('erythema') },
  { header: 'edema_0_3', description: 'Immediate edema, 0–3', value: stored('edema') },
  { header: 'bleeding_0_3', description: 'Pinpoint bleeding, 0–3', value: stored('bleeding') },
  {
    header: 'aftercare',
    description: 'Aftercare given, codes joined by ";"',
    value: (r) => aftercareText(r.s[SESSION_CELL.aftercare] as string),
  },
  {
    header: 'gais_practitioner_1_5',
    description: 'GAIS by the practitioner, 1 (very much improved) – 5 (worse)',
    value: stored('gais_practitioner'),
  },
  { header: 'gais_client_1_5', description: 'GAIS by the client, 1–5', value: stored('gais_client') },
  { header: 'satisfaction_0_10', description: 'Client satisfaction, 0–10', value: stored('satisfaction') },
  {
    header: 'lip_fullness_upper_1_5',
    description: 'Upper lip fullness, 1–5',
    value: stored('lip_fullness_upper'),
  },
  {
    header: 'lip_fullness_lower_1_5',
    description: 'Lower lip fullness, 1–5',
    value: stored('lip_fullness_lower'),
  },
  {
    header: 'goodman_baron_1_4',
    description: 'Goodman & Baron acne scar grade, 1–4',
    value: stored('goodman_baron'),
  },
  {
    header: 'consent_procedure',
    description: 'Procedure consent confirmed, yes/no',
    value: (r) => yesNo(r.s[SESSION_CELL.consent_procedure]),
  },
  {
    header: 'photo_consent',
    description: 'Photo consent scope: none, record, teaching, marketing',
    value: stored('photo_consent'),
  },
  {
    header: 'adverse_events',
    description:
      'Adverse events of the session: "kind (severity, onset DATE[, resolved DATE])" joined by "; "',
    value: (r) => r.adverseEvents,
  },
  { header: 'photo_count', description: 'Photos filed under the session', value: (r) => r.photoCount },
  {
    header: 'signed_by',
    description: 'Practitioner who signed the session (empty: not signed)',
    value: (r) => r.signedBy,
  },
  {
    header: 'signed_at',
    description: 'When the session was signed, ISO-8601 UTC',
    value: (r) => r.signedAt,
  },
  {
    header: 'cosigned_by',
    description: 'Manager who co-signed the session (empty: no co-signature)',
    value: (r) => r.cosignedBy,
  },
  { header: 'cosigned_at', description: 'When it was co-signed, ISO-8601 UTC', value: (r) => r.cosignedAt },
  {
    header: 'addenda',
    description:
      'Corrections after signing: "TIME by NAME: reason [changed fields]" joined by "; " (the values are in the bundle and the PDF)',
    value: (r) => r.addenda,
  },
  {
    header: 'consent_signed_at',
    description: "When the course's latest consent form was signed, ISO-8601 UTC (empty: none on file)",
    value: (r) => r.course.consentSignedAt,
  },
  {
    header: 'consent_override_reason',
    description: 'Why the session was logged without signed consent on file',
    value: (r) => r.consentOverrideReason,
  },
  { header: 'notes', description: 'Session notes', value: stored('notes') },
  { header: 'created_at', description: 'Record created, ISO-8601 UTC', value: stored('created_at') },
  { header: 'updated_at', description: 'Record last changed, ISO-8601 UTC', value: stored('updated_at') },
  {
    header: 'deleted_at',
    description: 'Record deleted (empty: live), ISO-8601 UTC',
    value: stored('deleted_at'),
  },
  ...zonePassesColumns,
];

export const CSV_HEADERS: readonly string[] = CSV_COLUMNS.map((c) => c.header);

/** The values of one session's cells, in column order (csvLine(csvCells(values)) is its line). */
export function csvValues(r: CsvRow): (string | number | null)[] {
  return CSV_COLUMNS.map((c) => c.value(r));
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** OWASP CSV injection defence for one text cell: a leading `'` keeps a spreadsheet from evaluating it. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Sessions read per query; the event loop gets a turn between batches. */
const BATCH = 1000;
/**
 * The export connection's page cache. Sessions are read in storage order, so each page is read
 * and decrypted once whatever the size; the cache only needs to hold a batch's zones, courses and
 * signed records, which lie near one another as they were written.
 */
const READER_CACHE_MIB = 8;
/**
 * Bytes of formatted lines kept in memory before a sorted run goes to an encrypted scratch file:
 * a 10k-client clinic (70 MB of CSV) sorts in five runs, a 100k one in about fifty.
 */
const RUN_BYTES = 16 * 1024 * 1024;

const DELETED_AT = SESSION_CELL.deleted_at;
const NUMBER_COLUMN = CSV_COLUMNS.findIndex((c) => c.header === 'session_number');

/** Aftercare cells by their stored JSON: a clinic uses a handful of combinations. */
const aftercareTexts = new Map<string, string>();

/** The aftercare codes joined by ";". */
function aftercareText(json: string): string {
  let text = aftercareTexts.get(json);
  if (text === undefined) {
    text = (JSON.parse(json) as string[]).join(';');
    if (aftercareTexts.size < 4096) aftercareTexts.set(json, text);
  }
  return text;
}

/** CSV cells: numbers as numbers, text neutralised, nothing recorded as "". */
export function csvCells(values: readonly (string | number | null)[]): (string | number)[] {
  return values.map((v) => (v === null ? '' : typeof v === 'string' ? neutralise(v) : v));
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

/** Texts of the numbers met so far (depths, scores, minutes: a few hundred distinct values). */
const numberTexts = new Map<number, string>();

/** One cell as csvLine writes it after csvCells: neutralised, quoted when needed, nothing as "". */
function cellText(v: string | number | null): string {
  if (v === null || v === '') return '';
  if (typeof v === 'number') {
    let text = numberTexts.get(v);
    if (text === undefined) {
      text = String(v);
      if (numberTexts.size < 4096) numberTexts.set(v, text);
    }
    return text;
  }
  const text = FORMULA_START.test(v) ? `'${v}` : v;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line's cells, reused from line to line (join copies them out). */
const lineCells = new Array<string>(CSV_COLUMNS.length).fill('');

/**
 * A session's line, as csvLine(csvCells(values)) writes it, in one pass. With `unnumbered`, the
 * number cell is left empty and `cut` is where it goes. The cells are joined, not appended one by
 * one: a line kept for sorting must be one flat string, not a chain of a hundred pieces.
 */
function csvRowLine(r: CsvRow, unnumbered: boolean): { line: string; cut: number } {
  const cells = lineCells;
  let cut = -1;
  for (let i = 0; i < CSV_COLUMNS.length; i++) {
    if (i === NUMBER_COLUMN && unnumbered) {
      cells[i] = '';
      cut = NUMBER_COLUMN;
      for (let j = 0; j < i; j++) cut += cells[j]!.length;
    } else cells[i] = cellText(CSV_COLUMNS[i]!.value(r));
  }
  cells[CSV_COLUMNS.length - 1] += '\r\n';
  return { line: cells.join(','), cut };
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
 * Numbers the lines as they are written in time order, when the selection holds every live session
 * of each of its courses from its start date on (no practitioner filter): the n-th live session of
 * a course is number n, counted from the live sessions before the period.
 */
function sessionNumberer(db: Db, selection: ResolvedSelection): ((course: number) => number) | null {
  const p = selection.params;
  if (p.practitionerId) return null;
  const seen = p.fromAt ? liveSessionsBefore(db, p.fromAt) : new Map<number, number>();
  return (course) => {
    const n = (seen.get(course) ?? 0) + 1;
    seen.set(course, n);
    return n;
  };
}

/** A selection with no filter but deleted records: read by walking the whole sessions table. */
function wholeClinic(p: SelectionParams): boolean {
  return !p.courseId && !p.clientId && !p.fromAt && !p.toAt && !p.practitionerId && !p.area;
}

const NO_ZONES: readonly null[] = ZONE_KEYS.map(() => null);
const ZONE_INDEX = new Map<string, number>(ZONE_KEYS.map((z, i) => [z, i]));
/** Courses kept between batches (a course's sessions usually lie together). */
const COURSE_CACHE = 20_000;

/**
 * Reads the selection's sessions in batches in storage order, with what each line needs, and
 * hands each one to `take`. Progress is reported in sessions (or, walking the whole table, in
 * rowids, which grow with it).
 */
async function readSessions(
  db: Db,
  selection: ResolvedSelection,
  batch: number,
  numbered: boolean,
  take: (r: CsvRow) => Promise<void> | void,
  onProgress: ExportProgress,
): Promise<void> {
  const p = selection.params;
  const withNumber = !numbered;
  const practitioners = new Map(csvPractitioners(db));
  const tables = nonEmptyTables(db);
  const courses = new Map<string, CsvCourse | null>();
  const label = 'Reading the sessions';

  const scan = wholeClinic(p);
  const rowids = scan ? null : selectedSessionRowids(db, p);
  const total = scan ? maxSessionRowid(db) : rowids!.length;
  let after = 0;
  for (let i = 0; ; i += batch) {
    const found = rowids
      ? i < rowids.length
        ? csvSessionsByRowid(db, rowids.slice(i, i + batch), withNumber)
        : []
      : csvSessionsAfter(db, after, batch);
    if (!found.length) break;
    after = found[found.length - 1]![SESSION_ROWID_CELL] as number;
    // Courses this batch needs that are not known yet, in one query.
    const missing = [...new Set(found.map((s) => s[SESSION_CELL.course_id] as string))].filter(
      (id) => !courses.has(id),
    );
    if (missing.length) {
      if (courses.size + missing.length > COURSE_CACHE) courses.clear();
      for (const id of missing) courses.set(id, null);
      for (const k of csvCourses(db, missing)) {
        courses.set(k[0], {
          id: k[0],
          area: k[1],
          indication: k[2],
          status: k[3],
          startedOn: k[4],
          clientId: k[5],
          firstName: k[6],
          lastName: k[7],
          dateOfBirth: k[8],
          fitzpatrick: k[9],
          consentSignedAt: k[10],
          live: k[11] === 1,
          rowid: k[12],
        });
      }
    }
    // The rows of the selection (walking the table, live ones unless deleted ones are asked for),
    // as the old joins did: a session whose course or practitioner is missing is left out.
    const rows: CsvRow[] = [];
    for (const s of found) {
      const course = courses.get(s[SESSION_CELL.course_id] as string);
      const practitionerName = practitioners.get(s[SESSION_CELL.practitioner_id] as string);
      if (!course || practitionerName === undefined) continue;
      if (scan && !p.includeDeleted && (s[DELETED_AT] !== null || !course.live)) continue;
      rows.push({
        s,
        number: withNumber ? (s[SESSION_NUMBER_CELL] as number) : null,
        course,
        practitionerName,
        ...zonesOf(s[SESSION_ZONES_CELL] as string | null),
        adverseEvents: '',
        photoCount: 0,
        signedBy: null,
        signedAt: null,
        cosignedBy: null,
        cosignedAt: null,
        addenda: '',
        consentOverrideReason: null,
      });
    }
    if (rows.length) {
      const ids = JSON.stringify(rows.map((r) => r.s[SESSION_CELL.id]));
      addChildren(db, rows, ids, tables, p.includeDeleted);
      for (const r of rows) {
        const more = take(r);
        if (more) await more;
      }
    }
    onProgress({ done: scan ? after : Math.min(i + batch, total), total, label });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Zone depth and passes texts as SQLite wrote them, and the numbers they are. */
const zoneNumbers = new Map<string, number>();

function zoneNumber(text: string): number {
  let n = zoneNumbers.get(text);
  if (n === undefined) {
    n = Number(text);
    if (zoneNumbers.size < 4096) zoneNumbers.set(text, n);
  }
  return n;
}

/** A session's depths and passes by ZONE_KEYS, from its zones text ("zone:depth:passes,…"). */
function zonesOf(text: string | null): Pick<CsvRow, 'depths' | 'zonePasses'> {
  if (!text) return { depths: NO_ZONES, zonePasses: NO_ZONES };
  const depths: (number | null)[] = [...NO_ZONES];
  let passes: (number | null)[] | null = null;
  for (let at = 0; at < text.length;) {
    const a = text.indexOf(':', at);
    const b = text.indexOf(':', a + 1);
    let end = text.indexOf(',', b + 1);
    if (end < 0) end = text.length;
    const i = ZONE_INDEX.get(text.slice(at, a));
    if (i !== undefined) {
      depths[i] = zoneNumber(text.slice(a + 1, b));
      if (end > b + 1) (passes ??= [...NO_ZONES])[i] = zoneNumber(text.slice(b + 1, end));
    }
    at = end + 1;
  }
  return { depths, zonePasses: passes ?? NO_ZONES };
}

/** Adverse events, photo counts, signatures, addenda and consent overrides of a batch. */
function addChildren(
  db: Db,
  rows: CsvRow[],
  ids: string,
  tables: ReadonlySet<CsvChildTable>,
  includeDeleted: boolean,
): void {
  if (tables.has('adverse_events')) {
    for (const [key, kind, severity, onset, resolved] of csvAdverseEvents(db, ids, includeDeleted)) {
      const r = rows[key]!;
      r.adverseEvents += `${r.adverseEvents ? '; ' : ''}${eventText(kind, severity, onset, resolved)}`;
    }
  }
  if (tables.has('photos')) {
    for (const [key, count] of csvPhotoCounts(db, ids, includeDeleted)) rows[key]!.photoCount = count;
  }
  if (tables.has('session_signatures')) {
    for (const [key, role, name, at] of csvSignatures(db, ids)) {
      const r = rows[key]!;
      if (role === 'author') [r.signedBy, r.signedAt] = [name, at];
      else [r.cosignedBy, r.cosignedAt] = [name, at];
    }
  }
  if (tables.has('session_addenda')) {
    for (const [key, at, by, reason, fields] of csvAddenda(db, ids)) {
      const r = rows[key]!;
      r.addenda += `${r.addenda ? '; ' : ''}${addendumText(at, by, reason, fields)}`;
    }
  }
  if (tables.has('consent_overrides')) {
    for (const [key, reason] of csvConsentOverrides(db, ids)) rows[key]!.consentOverrideReason = reason;
  }
}

const OUT_CHUNK = 1 << 20;
/** Bytes of output waiting for the disk before the merge waits too. */
const OUT_QUEUE = 8 * OUT_CHUNK;

/** The file's bytes gathered into chunks of about a MiB, taken by the writer between batches. */
function outputChunks() {
  let chunk = Buffer.allocUnsafe(OUT_CHUNK);
  let n = 0;
  let full: Buffer[] = [];
  const room = (size: number) => {
    if (n + size <= chunk.length) return;
    if (n) full.push(chunk.subarray(0, n));
    chunk = Buffer.allocUnsafe(Math.max(OUT_CHUNK, size));
    n = 0;
  };
  return {
    bytes(src: Buffer, start: number, end: number) {
      room(end - start);
      n += src.copy(chunk, n, start, end);
    },
    text(s: string) {
      room(3 * s.length);
      n += chunk.write(s, n);
    },
    /** Closes the last chunk, so that `take` gives it too. */
    end() {
      if (n) full.push(chunk.subarray(0, n));
      n = chunk.length;
    },
    take(): Buffer[] {
      const taken = full;
      full = [];
      return taken;
    },
  };
}

/** Options for tests: smaller runs (to sort through files), and where their folder goes. */
export interface CsvSortOptions {
  /** Bytes of lines per sorted run. */
  runBytes?: number;
  scratchParent?: string;
  /** Called with the sorter's scratch folder once it exists (tests look inside it). */
  onScratch?: (dir: string) => void;
  /**
   * Only these sessions (a bundle's, whose records.json was read a moment earlier): a session saved
   * in between is in neither file rather than in one of them.
   */
  sessionIds?: ReadonlySet<string>;
}

/**
 * The selection's sessions as CSV into `out`, in session-time order. They are read in storage
 * order (a clinic imported or generated client by client has its sessions of any one week all over
 * the file: visiting them in time order decrypted most pages many times over), formatted, and put
 * back in time order by an external merge sort whose runs are encrypted (csvSort.ts); the numbers
 * are given as the sorted lines are written. Everything is read on a connection of the export's
 * own, from one snapshot: a session saved meanwhile neither appears half-way nor shifts the
 * numbers. The event loop is free between batches, so a host keeps answering meanwhile.
 */
export async function streamCsv(
  ctx: ServiceContext,
  selection: ResolvedSelection,
  out: Writable,
  onProgress: ExportProgress = () => {},
  batch = BATCH,
  options: CsvSortOptions = {},
): Promise<{ rows: number }> {
  const done = finished(out);
  // Awaited at the end; an output error meanwhile must neither go unhandled nor leave a wait for
  // 'drain' that never comes.
  done.catch(() => {});
  const reader = openReader(ctx.db, READER_CACHE_MIB);
  const db = reader ?? ctx.db;
  const sorter = lineSorter(options.scratchParent ?? exportsDir(ctx.dataDir), options.runBytes ?? RUN_BYTES);
  let rows = 0;
  try {
    const number = sessionNumberer(db, selection);
    await readSessions(
      db,
      selection,
      batch,
      number !== null,
      (r) => {
        if (options.sessionIds && !options.sessionIds.has(r.s[SESSION_CELL.id] as string)) return;
        const unnumbered = number !== null && r.s[DELETED_AT] === null;
        const { line, cut } = csvRowLine(r, unnumbered);
        rows++;
        const added = sorter.add(
          r.s[SESSION_CELL.performed_at] as string,
          r.s[SESSION_CELL.id] as string,
          cut,
          unnumbered ? r.course.rowid : -1,
          line,
        );
        if (added) return added.then(() => options.onScratch?.(sorter.scratchDir!));
      },
      onProgress,
    );
    let written = 0;
    const label = 'Writing the sessions';
    const output = outputChunks();
    // UTF-8 with a BOM, so spreadsheet programs show "Zoë" right.
    output.text(`\ufeff${csvLine(CSV_HEADERS)}`);
    // Handed on without waiting for each chunk: the file is written while the next lines are merged.
    const flush = async () => {
      if (out.errored) throw out.errored;
      for (const b of output.take()) out.write(b);
      if (out.writableLength > OUT_QUEUE) await Promise.race([once(out, 'drain'), done]);
    };
    await sorter.merge(
      (l) => {
        if (l.cut < 0) output.bytes(l.buf, l.start, l.end);
        else {
          output.bytes(l.buf, l.start, l.cut);
          output.text(String(number!(l.course)));
          output.bytes(l.buf, l.cut, l.end);
        }
        written++;
      },
      async () => {
        await flush();
        onProgress({ done: written, total: rows, label });
        await new Promise((resolve) => setImmediate(resolve));
      },
      batch,
    );
    output.end();
    await flush();
    out.end();
    await done;
    onProgress({ done: rows, total: rows, label });
  } catch (err) {
    out.destroy();
    await done.catch(() => {});
    throw err;
  } finally {
    reader?.close();
    await sorter.dispose();
  }
  return { rows };
}
