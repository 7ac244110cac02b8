import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { ZONE_KEYS } from '../../contract/domain.js';
import type { Db } from '../../db/connection.js';
import { SESSION_CELL, type CsvSessionCells, type CsvSessionColumn } from '../../db/csvQueries.js';
import { SESSION_NUMBER } from '../../db/sessions.js';
import {
  CSV_HEADERS,
  csvCells,
  csvLine,
  csvValues,
  streamCsv,
  type CsvRow,
} from '../../electron/services/exports/exportCsv.js';
import { exportsDir, sweepStaleScratch } from '../../electron/services/exports/files.js';
import { resolveSelection } from '../../electron/services/exports/selection.js';
import { openTestClinic, seedCourse, tempDir, type TestClinic } from '../support/clinic.js';
import { plainJpeg } from '../support/images.js';
import { givePin, TEST_PIN } from '../support/signIn.js';
import { signConsent } from '../support/signatures.js';

let clinic: TestClinic | null = null;
afterEach(() => {
  clinic?.close();
  clinic = null;
});

/**
 * The CSV as the export wrote it before it read in storage order and sorted: the selection's ids in
 * time order, one SQL per batch with a correlated subquery per child table, every session numbered
 * by the database (not counted as written), JSON parsed per row. Kept here, and only here, as the
 * reference the sorted export must match byte for byte.
 */
function csvBefore(db: Db, sessionIds: string[], includeDeleted: boolean): string {
  const live = includeDeleted ? '' : 'AND x.deleted_at IS NULL';
  const query = db.prepare(
    `SELECT s.*, ${SESSION_NUMBER} AS number, c.id AS client_id, c.first_name, c.last_name, c.date_of_birth,
       c.fitzpatrick, k.area, k.indication, k.status, k.started_on, p.name AS practitioner_name,
       (SELECT json_group_object(z.zone, z.depth_mm) FROM session_zones z WHERE z.session_id = s.id) AS zones_json,
       (SELECT json_group_object(z.zone, z.passes) FROM session_zones z
          WHERE z.session_id = s.id AND z.passes IS NOT NULL) AS zone_passes_json,
       (SELECT json_group_array(json_object('kind', x.kind, 'severity', x.severity, 'onset', x.onset_on,
          'resolved', x.resolved_on))
        FROM (SELECT * FROM adverse_events x WHERE x.session_id = s.id ${live} ORDER BY x.onset_on, x.id) x)
         AS events_json,
       (SELECT count(*) FROM photos x WHERE x.session_id = s.id ${live}) AS photo_count,
       sp.name AS signed_by, ga.signed_at, cp.name AS cosigned_by, gc.signed_at AS cosigned_at,
       (SELECT json_group_array(json_object('at', a.at, 'by', a.by, 'reason', a.reason,
          'fields', (SELECT json_group_array(f.key) FROM json_each(a.changes_json, '$.after') f)))
        FROM (SELECT a.*, ap.name AS by FROM session_addenda a JOIN practitioners ap ON ap.id = a.author_id
              WHERE a.session_id = s.id ORDER BY a.at, a.id) a) AS addenda_json,
       (SELECT max(cc.signed_at) FROM course_consents cc WHERE cc.course_id = s.course_id) AS consent_signed_at,
       ov.reason AS consent_override_reason
     FROM sessions s JOIN courses k ON k.id = s.course_id
       JOIN clients c ON c.id = k.client_id JOIN practitioners p ON p.id = s.practitioner_id
       LEFT JOIN session_signatures ga ON ga.session_id = s.id AND ga.role = 'author'
       LEFT JOIN practitioners sp ON sp.id = ga.practitioner_id
       LEFT JOIN session_signatures gc ON gc.session_id = s.id AND gc.role = 'cosigner'
       LEFT JOIN practitioners cp ON cp.id = gc.practitioner_id
       LEFT JOIN consent_overrides ov ON ov.session_id = s.id
     WHERE s.id = ?`,
  );
  let text = `\ufeff${csvLine(CSV_HEADERS)}`;
  for (const id of sessionIds) {
    const o = query.get(id) as Record<string, string | number | null>;
    const zones = JSON.parse(o.zones_json as string) as Record<string, number>;
    const passes = JSON.parse(o.zone_passes_json as string) as Record<string, number>;
    const events = JSON.parse(o.events_json as string) as {
      kind: string;
      severity: string;
      onset: string;
      resolved: string | null;
    }[];
    const addenda = JSON.parse(o.addenda_json as string) as {
      at: string;
      by: string;
      reason: string;
      fields: string[];
    }[];
    const s: CsvSessionCells = [];
    for (const [column, i] of Object.entries(SESSION_CELL)) s[i] = o[column as CsvSessionColumn]!;
    const row: CsvRow = {
      s,
      number: o.number as number,
      course: {
        id: o.course_id as string,
        area: o.area as string,
        indication: o.indication as string,
        status: o.status as string,
        startedOn: o.started_on as string,
        clientId: o.client_id as string,
        firstName: o.first_name as string,
        lastName: o.last_name as string,
        dateOfBirth: o.date_of_birth as string | null,
        fitzpatrick: o.fitzpatrick as number | null,
        consentSignedAt: o.consent_signed_at as string | null,
        live: true,
        rowid: 0,
      },
      practitionerName: o.practitioner_name as string,
      depths: ZONE_KEYS.map((z) => zones[z] ?? null),
      zonePasses: ZONE_KEYS.map((z) => passes[z] ?? null),
      adverseEvents: events
        .map(
          (e) => `${e.kind} (${e.severity}, onset ${e.onset}${e.resolved ? `, resolved ${e.resolved}` : ''})`,
        )
        .join('; '),
      photoCount: o.photo_count as number,
      signedBy: o.signed_by as string | null,
      signedAt: o.signed_at as string | null,
      cosignedBy: o.cosigned_by as string | null,
      cosignedAt: o.cosigned_at as string | null,
      addenda: addenda
        .map((a) => `${a.at} by ${a.by}: ${a.reason}${a.fields.length ? ` [${a.fields.join(', ')}]` : ''}`)
        .join('; '),
      consentOverrideReason: o.consent_override_reason as string | null,
    };
    text += csvLine(csvCells(csvValues(row)));
  }
  return text;
}

/**
 * Five clients entered one after another, each with two courses whose sessions interleave in time
 * with everyone else's (so storage order is nothing like time order), two practitioners, and
 * everything a line can hold: zones with and without passes, adverse events (one deleted),
 * photos (one deleted), signed, co-signed and corrected sessions, a session logged without
 * consent, edits, deleted sessions, a deleted course and a deleted client, and awkward text.
 */
async function richClinic() {
  clinic = openTestClinic();
  const { services } = clinic;
  const { practitioner, client: first } = seedCourse(clinic);
  const other = services.practitioners.create({ name: 'Dr Lena Park, "LP"' });
  const director = services.practitioners.create({ name: 'Dr Director', role: 'manager' });
  givePin(services, director.id);
  const names = ['=Mina', 'Ito, Jun', 'Ærø "Zo"', '+Lou', '@Sam Lee'];
  const sessions: string[] = [];
  const courses: string[] = [];
  const clients = [first.id];
  for (const [c, name] of names.entries()) {
    const client = services.clients.create({
      firstName: name,
      lastName: `Client ${c}`,
      fitzpatrick: 1 + (c % 6),
    });
    clients.push(client.id);
    for (const k of [0, 1]) {
      const course = services.courses.create({
        clientId: client.id,
        area: k ? 'full_face' : 'lips_perioral',
        indication: k ? 'acne_scars' : 'lip_enhancement',
        plannedSessions: 6,
        plannedIntervalDays: 14,
        startedOn: '2026-01-05',
      });
      courses.push(course.id);
      // Course 3 has sessions logged without consent on file.
      if (courses.length !== 3) signConsent(services, course.id, name);
      for (let i = 0; i < 6; i++) {
        const day = 5 + i * 14 + ((c * 3 + k * 5) % 13);
        const performedAt = new Date(Date.UTC(2026, 0, day, 9 + (c % 3), 15 * k)).toISOString();
        const saved = services.sessions.create({
          courseId: course.id,
          practitionerId: (i + c) % 3 ? practitioner.id : other.id,
          // Two sessions of different courses at the same instant: ordered by id.
          performedAt: i === 2 && c < 2 ? '2026-02-20T10:00:00.000Z' : performedAt,
          zones: [
            { zone: 'cheek_left', depthMm: 0.5 + 0.25 * (i % 4), ...(i % 2 ? { passes: 2 + c } : {}) },
            ...(k ? [{ zone: 'forehead' as const, depthMm: 1.25 }] : []),
            ...(i === 3 ? [{ zone: 'chin' as const, depthMm: 0.3, passes: 1 }] : []),
          ],
          device: i % 2 ? '-Dermapen' : 'SkinPen',
          cartridgeLot: `L${c}${i}`,
          numbingAgent: 'emla',
          numbingMinutes: 30 + i,
          pain: (c + i) % 11,
          aftercare: i % 3 ? ['spf30_from_24h', 'no_makeup_24_48h'] : [],
          satisfaction: i % 2 ? 7 : undefined,
          photoConsent: 'record',
          consentProcedure: true,
          notes: i === 1 ? `Notes, "quoted"\r\nline two for ${name}` : '',
          ...(courses.length === 3 ? { consentOverrideReason: 'Paper form signed; tablet flat.' } : {}),
          adverseEvents:
            i === 4
              ? [
                  { kind: 'pih', severity: 'moderate', onsetOn: '2026-03-09', resolvedOn: '2026-03-20' },
                  { kind: 'acne_flare', severity: 'mild', onsetOn: '2026-03-02' },
                ]
              : [],
        }).value;
        sessions.push(saved.id);
      }
    }
  }
  const db = clinic.db;
  // Photos: two on one session, one of them deleted, one on another.
  const jpeg = await plainJpeg(64, 48);
  const photo = await services.photos.import({
    sessionId: sessions[7]!,
    kind: 'before',
    view: 'frontal',
    data: jpeg,
  });
  await services.photos.import({ sessionId: sessions[7]!, kind: 'after', view: 'frontal', data: jpeg });
  await services.photos.import({ sessionId: sessions[20]!, kind: 'before', view: 'frontal', data: jpeg });
  services.photos.delete({ id: photo.id });
  // One adverse event deleted.
  db.prepare(
    `UPDATE adverse_events SET deleted_at = '2026-04-01T00:00:00.000Z' WHERE kind = 'pih' AND rowid = (SELECT min(rowid) FROM adverse_events WHERE kind = 'pih')`,
  ).run();
  // Edits, deletions.
  services.sessions.update({
    id: sessions[30]!,
    patch: { notes: '@edited', performedAt: '2026-01-01T08:00:00.000Z' },
  });
  services.sessions.update({ id: sessions[31]!, patch: { pain: 9 } });
  for (const i of [5, 12, 40]) services.sessions.delete({ id: sessions[i]! });
  services.courses.delete({ id: courses[6]! });
  services.clients.delete({ id: clients[5]! });
  // Signed, co-signed and corrected sessions.
  services.actAs(practitioner.id);
  const signable = sessions.filter(
    (id, i) =>
      i < 12 && ![5, 12].includes(i) && services.sessions.get({ id }).practitionerId === practitioner.id,
  );
  for (const id of signable.slice(0, 4)) await services.signing.sign({ sessionId: id, pin: TEST_PIN });
  services.actAs(director.id);
  await services.signing.cosign({ sessionId: signable[0]!, pin: TEST_PIN });
  services.actAs(practitioner.id);
  services.sessions.amend({ sessionId: signable[0]!, reason: 'Pain misheard.', patch: { pain: 5 } });
  services.sessions.amend({
    sessionId: signable[1]!,
    reason: 'Lot, then notes.',
    patch: { cartridgeLot: 'L9', notes: 'fixed' },
  });
  return { practitioner, other, sessions, courses, clients };
}

/** Writes the selection through streamCsv into memory. */
async function exported(selection: object, batch?: number, runBytes?: number): Promise<string> {
  const ctx = clinic!.services.ctx;
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, next) {
      chunks.push(chunk);
      next();
    },
  });
  await streamCsv(ctx, resolveSelection(ctx, selection), out, () => {}, batch, runBytes ? { runBytes } : {});
  return Buffer.concat(chunks).toString('utf8');
}

describe('clinic-wide CSV read in storage order and sorted', () => {
  it('writes byte for byte what the time-ordered export wrote, whatever the selection, in memory or through sorted runs', async () => {
    const { other, courses, clients } = await richClinic();
    const ctx = clinic!.services.ctx;
    const selections: object[] = [
      {},
      { includeDeleted: true },
      { from: '2026-02-01', to: '2026-03-15' },
      { from: '2026-02-20', includeDeleted: true },
      { practitionerId: other.id },
      { practitionerId: other.id, from: '2026-02-01', includeDeleted: true },
      { courseId: courses[4] },
      { clientId: clients[2], to: '2026-03-01' },
      { area: 'full_face' },
    ];
    // The reference shows everything the clinic holds (so the comparison covers it).
    const everything = resolveSelection(ctx, { includeDeleted: true });
    const all = csvBefore(clinic!.db, everything.sessionIds, true);
    for (const held of [
      'Dr Director', // a co-signature
      'by Dr Aisha Rahman: Pain misheard. [pain]', // an addendum
      'Lot, then notes. [cartridgeLot, notes]',
      'acne_flare (mild, onset 2026-03-02); pih (moderate, onset 2026-03-09, resolved 2026-03-20)',
      'Paper form signed; tablet flat.',
      "'@edited",
      '"Notes, ""quoted""\r\nline two',
    ])
      expect(all, held).toContain(held);
    const typed = parse(all, { bom: true, columns: true }) as Record<string, string>[];
    // With deleted records: the deleted photo counts too.
    expect(new Set(typed.map((t) => t.photo_count))).toEqual(new Set(['0', '1', '2']));
    expect(typed.filter((t) => t.deleted_at).length).toBe(3);
    expect(typed.some((t) => t.passes_cheek_left && t.passes_chin)).toBe(true);
    for (const selection of selections) {
      const r = resolveSelection(ctx, selection);
      const expected = csvBefore(clinic!.db, r.sessionIds, r.params.includeDeleted);
      expect(expected.split('\r\n').length, JSON.stringify(selection)).toBeGreaterThan(2);
      // Default batches, everything in memory; small batches through runs of about two lines each.
      expect(await exported(selection), JSON.stringify(selection)).toBe(expected);
      expect(await exported(selection, 7, 1500), JSON.stringify(selection)).toBe(expected);
    }
  });

  it("holds a bundle's sessions only: one saved after its records were read is in neither file", async () => {
    const { practitioner, courses } = await richClinic();
    const ctx = clinic!.services.ctx;
    const selection = resolveSelection(ctx, {});
    const inRecords = selection.sessionIds;
    clinic!.services.sessions.create({
      courseId: courses[0]!,
      practitionerId: practitioner.id,
      performedAt: '2026-06-01T10:00:00.000Z',
      zones: [{ zone: 'chin', depthMm: 0.5 }],
      notes: 'Saved during the export',
    });
    const chunks: Buffer[] = [];
    const out = new Writable({
      write(chunk: Buffer, _enc, next) {
        chunks.push(chunk);
        next();
      },
    });
    await streamCsv(ctx, selection, out, () => {}, 7, { runBytes: 1500, sessionIds: new Set(inRecords) });
    const csv = Buffer.concat(chunks).toString('utf8');
    expect(csv).not.toContain('Saved during the export');
    expect(csv).toBe(csvBefore(clinic!.db, inRecords, false));
    // Without the list, the export's own snapshot has it.
    expect(await exported({})).toContain('Saved during the export');
  });

  it('keeps its sorted runs encrypted while it runs and removes them after, after a failure too', async () => {
    const { sessions } = await richClinic();
    const ctx = clinic!.services.ctx;
    const scratchParent = tempDir();
    const seen: Buffer[] = [];
    let dir = '';
    const look = (d: string) => {
      dir = d;
      for (const f of fs.readdirSync(d)) {
        const file = path.join(d, f);
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        seen.push(fs.readFileSync(file));
      }
      expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    };
    const sink = () =>
      new Writable({
        write(_chunk, _enc, next) {
          next();
        },
      });
    const all = resolveSelection(ctx, { includeDeleted: true });
    await streamCsv(ctx, all, sink(), () => {}, 5, { runBytes: 2000, scratchParent, onScratch: look });
    expect(seen.length).toBeGreaterThan(3);
    const bytes = Buffer.concat(seen);
    expect(bytes.length).toBeGreaterThan(10_000);
    // No name, note, lot or id of the clinic in them: they are ciphertext.
    for (const plain of ['Mina', 'Client 1', 'quoted', 'Dermapen', 'cheek', sessions[3]!, '2026-0']) {
      expect(bytes.includes(Buffer.from(plain)), plain).toBe(false);
    }
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(scratchParent)).toEqual([]);

    // The output fails while the runs are merged: the export fails, and the runs go.
    const failing = new Writable({
      write(_chunk, _enc, next) {
        next(new Error('disk full'));
      },
    });
    await expect(
      streamCsv(ctx, all, failing, () => {}, 5, {
        runBytes: 2000,
        scratchParent,
        onScratch: (d) => (dir = d),
      }),
    ).rejects.toThrow('disk full');
    expect(fs.existsSync(dir)).toBe(false);
    // Reading fails after some runs were written: the same.
    await expect(
      streamCsv(ctx, all, sink(), () => {}, 5, {
        runBytes: 2000,
        scratchParent,
        onScratch: (d) => {
          dir = d;
          throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(scratchParent)).toEqual([]);
  });

  it('removes the working folders a crashed export or import left behind, once they are a day old', async () => {
    const dataDir = tempDir();
    const exports = exportsDir(dataDir);
    const dayAgo = Date.now() - 25 * 3_600_000;
    const make = (name: string, old: boolean) => {
      const folder = path.join(exports, name);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, 'records.json'), '{"clients":[{"firstName":"Zoë"}]}');
      if (old) fs.utimesSync(folder, dayAgo / 1000, dayAgo / 1000);
      return folder;
    };
    const left = [make('.bundle-0123456789abcdef', true), make('.import-fedcba9876543210', true)];
    const sort = make('.csv-sort-00112233445566aa', true);
    const running = make('.bundle-aaaaaaaaaaaaaaaa', false);
    const mine = make('client-notes', true);
    fs.writeFileSync(path.join(exports, 'Course report.pdf'), 'pdf');
    expect(await sweepStaleScratch(dataDir)).toBe(3);
    for (const gone of [...left, sort]) expect(fs.existsSync(gone)).toBe(false);
    // One still being written (the CLI beside the app), a folder of the user's, and exports stay.
    for (const kept of [running, mine, path.join(exports, 'Course report.pdf')])
      expect(fs.existsSync(kept)).toBe(true);
    expect(await sweepStaleScratch(tempDir())).toBe(0);
  });
});
