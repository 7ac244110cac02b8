import crypto from 'node:crypto';
import type { z } from 'zod';
import { LEGACY_ZONE_SPLIT, type LegacyZone } from '../../../contract/domain.js';
import type { ZoneEntry } from '../../../contract/schemas.js';
import { errorFromZod } from '../../../contract/result.js';
import { STORED_RECORDS, type StoredTable } from '../../../contract/storedRecords.js';
import type { BundleTable, RawRow } from '../../../db/exportQueries.js';
import { foldForSort } from '../../../db/text.js';
import { checkEventDates } from '../adverseEventRules.js';
import { AppError } from '../errors.js';

/**
 * Holds every record of a bundle to the rules the API holds a new or edited record to: the
 * contract's schemas (contract/storedRecords.ts) and the services' cross-field rules. Rows are
 * turned into the API's shape (camelCase, JSON lists, yes/no as booleans, a session's zones from
 * session_zones), checked, and turned back in their normalised form, so what is written is what
 * the API would have written. The first record that fails refuses the whole bundle.
 */

/** Cross-field rules of the services, applied to a record once its fields are valid. */
const CROSS_FIELD: Partial<Record<StoredTable, (record: never) => void>> = {
  adverse_events: checkEventDates,
  session_signatures: (s: { recordJson: string; recordSha256: string }) => {
    if (crypto.createHash('sha256').update(s.recordJson).digest('hex') !== s.recordSha256) {
      throw new AppError(
        'invalid_input',
        'the signed record does not match its hash: it was altered after signing.',
        'recordJson',
      );
    }
  },
};

/** Columns stored as JSON text that the API sees as lists. */
const JSON_COLUMNS: Partial<Record<StoredTable, readonly string[]>> = {
  clients: ['contraindications'],
  sessions: ['aftercare'],
};
/** Columns stored as 0/1 that the API sees as yes/no. */
const BOOLEAN_COLUMNS: Partial<Record<StoredTable, readonly string[]>> = {
  sessions: ['numbing_occlusion', 'consent_procedure'],
};
/** Columns the database derives from other fields: recomputed, never taken from the bundle. */
const DERIVED: Partial<Record<StoredTable, Record<string, (row: RawRow) => string>>> = {
  clients: { sort_name: (row) => foldForSort(`${String(row.last_name)} ${String(row.first_name)}`) },
};

const LABEL: Record<StoredTable, string> = {
  practitioners: 'practitioner',
  clients: 'client',
  courses: 'course',
  sessions: 'session',
  adverse_events: 'adverse event',
  photos: 'photo',
  session_signatures: 'session signature',
  session_addenda: 'addendum',
  consent_overrides: 'consent override',
  course_consents: 'signed consent',
};

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Cell = RawRow[string];
type Refusal = (message: string) => AppError;

function fromCell(table: StoredTable, column: string, value: Cell): unknown {
  if (JSON_COLUMNS[table]?.includes(column) && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // left as text, the schema says what it should be
    }
  }
  if (BOOLEAN_COLUMNS[table]?.includes(column) && (value === 0 || value === 1)) return value === 1;
  return value;
}

function toCell(value: unknown): Cell {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) return JSON.stringify(value);
  return value as Cell;
}

/** The failing field in the bundle's own column names, e.g. "session_zones.0.depth_mm". */
function fieldName(path: readonly PropertyKey[] | undefined): string {
  if (!path || path.length === 0) return '';
  const [head, ...rest] = path.map((p) => (typeof p === 'string' ? snake(p) : String(p)));
  return [head === 'zones' ? 'session_zones' : head, ...rest].join('.');
}

/** The zone rows of each session, in their stored order, as the API's `zones` list. */
type BundleZone = { zone: Cell; depthMm: Cell; passes: Cell };
function zonesBySession(zoneRows: RawRow[], refuse: Refusal): Map<string, BundleZone[]> {
  const rows = new Map<string, RawRow[]>();
  for (const z of zoneRows) {
    if (!Number.isInteger(z.position) || (z.position as number) < 0) {
      throw refuse(
        `records.json: a needle depth of session "${String(z.session_id).slice(0, 60)}" (session_zones), field position: the position must be a whole number from 0.`,
      );
    }
    const list = rows.get(z.session_id as string) ?? [];
    list.push(z);
    rows.set(z.session_id as string, list);
  }
  const zones = new Map<string, BundleZone[]>();
  for (const [id, list] of rows) {
    list.sort((a, b) => (a.position as number) - (b.position as number));
    // A bundle written before schema version 11 names unsided zones; they arrive split by side at the
    // same depth, as migration 0011 split the stored ones.
    const parts = list.flatMap((z) =>
      (LEGACY_ZONE_SPLIT[z.zone as LegacyZone] ?? [z.zone ?? null]).map((zone) => ({
        zone,
        depthMm: z.depth_mm ?? null,
        // A bundle from before schema 14 has no passes per zone: unknown, as migration 0014 left them.
        passes: z.passes ?? null,
      })),
    );
    zones.set(
      id,
      parts.filter((z, i) => z.zone === null || parts.findIndex((o) => o.zone === z.zone) === i),
    );
  }
  return zones;
}

/**
 * Validates every record of the bundle and returns the tables as they are to be written
 * (normalised values, derived columns recomputed, zone rows renumbered). Throws `refuse(…)` naming
 * the file, the record and the field of the first record that fails.
 */
export function validateBundleRecords(
  tables: Record<BundleTable, RawRow[]>,
  columns: Record<BundleTable, string[]>,
  refuse: Refusal,
): Record<BundleTable, RawRow[]> {
  const zones = zonesBySession(tables.session_zones, refuse);
  const out = { session_zones: [] as RawRow[] } as Record<BundleTable, RawRow[]>;
  for (const table of Object.keys(STORED_RECORDS) as StoredTable[]) {
    const schema: z.ZodType = STORED_RECORDS[table];
    const derived = DERIVED[table] ?? {};
    const stored = columns[table].filter((c) => !(c in derived));
    out[table] = tables[table].map((row, i) => {
      const what = `records.json: ${LABEL[table]} "${String(row.id).slice(0, 60)}" (${table} row ${i + 1})`;
      const record: Record<string, unknown> = Object.fromEntries(
        stored.map((c) => [camel(c), fromCell(table, c, row[c] ?? null)]),
      );
      if (table === 'sessions') record.zones = zones.get(row.id as string) ?? [];
      const parsed = schema.safeParse(record);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = fieldName(issue?.path);
        throw refuse(`${what}${field ? `, field ${field}` : ''}: ${errorFromZod(parsed.error).message}`);
      }
      const valid = parsed.data as Record<string, unknown>;
      try {
        CROSS_FIELD[table]?.(valid as never);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        throw refuse(`${what}${err.field ? `, field ${snake(err.field)}` : ''}: ${err.message}`);
      }
      const next: RawRow = Object.fromEntries(stored.map((c) => [c, toCell(valid[camel(c)])]));
      for (const [c, derive] of Object.entries(derived)) next[c] = derive(next);
      if (table === 'sessions') {
        (valid.zones as ZoneEntry[]).forEach((z, position) =>
          out.session_zones.push({
            session_id: next.id as string,
            position,
            zone: z.zone,
            depth_mm: z.depthMm,
            passes: z.passes ?? null,
          }),
        );
      }
      return next;
    });
  }
  return out;
}
