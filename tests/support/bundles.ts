import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { openBundle, sealBundleStream } from '../../electron/services/exports/bundleEnvelope.js';
import { prepareExport, runExport } from '../../electron/services/exports/index.js';
import type { Services } from '../../electron/services/index.js';
import { TEST_PASSPHRASE, TEST_SCRYPT, tempDir } from './clinic.js';

/** records.json of an archive bundle: table name → rows as stored (snake_case columns). */
export type BundleRecords = { tables: Record<string, Record<string, unknown>[]> } & Record<string, unknown>;

/** Every entry of a zip, in order, with its bytes. */
export function readZip(file: string): Promise<[string, Buffer][]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const list: [string, Buffer][] = [];
      zip.on('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (e2, s) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            list.push([e.fileName, Buffer.concat(chunks)]);
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => {
        zip.close();
        resolve(list);
      });
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export async function writeZip(entries: [string, Buffer][], out: string): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(fs.createWriteStream(out)).on('close', resolve).on('error', reject),
  );
  return out;
}

/**
 * A copy of a bundle whose records.json went through `edit`, with the manifest's size and SHA-256
 * of records.json brought up to date: a bundle that passes every checksum, as a person with a text
 * editor (or a buggy tool) could make one.
 */
export async function editedBundle(file: string, edit: (records: BundleRecords) => void): Promise<string> {
  const entries = await readZip(file);
  const get = (name: string) => {
    const entry = entries.find(([n]) => n === name);
    if (!entry) throw new Error(`${name} missing from ${file}`);
    return entry;
  };
  const records = JSON.parse(get('records.json')[1].toString('utf8')) as BundleRecords;
  edit(records);
  const text = Buffer.from(JSON.stringify(records));
  get('records.json')[1] = text;
  const manifest = JSON.parse(get('manifest.json')[1].toString('utf8')) as {
    files: { path: string; bytes: number; sha256: string }[];
  };
  const listed = manifest.files.find((f) => f.path === 'records.json')!;
  listed.bytes = text.length;
  listed.sha256 = crypto.createHash('sha256').update(text).digest('hex');
  get('manifest.json')[1] = Buffer.from(JSON.stringify(manifest));
  return writeZip(entries, path.join(tempDir('needlelog-bundle-'), 'edited.zip'));
}

type Row = Record<string, unknown>;
const first = (r: BundleRecords, table: string): Row => {
  const row = r.tables[table]?.[0];
  if (!row) throw new Error(`the bundle has no ${table} rows`);
  return row;
};

/**
 * Edits of records.json that the API would refuse, each with the column the refusal must name.
 * The bundle they apply to must hold at least one row of each table, an adverse event included.
 */
export const REFUSED_RECORD_EDITS: { name: string; field: string; edit: (r: BundleRecords) => void }[] = [
  {
    name: 'unknown numbing agent',
    field: 'numbing_agent',
    edit: (r) => (first(r, 'sessions').numbing_agent = 'bogus_agent'),
  },
  {
    name: 'session time that is not a date',
    field: 'performed_at',
    edit: (r) => (first(r, 'sessions').performed_at = 'not a date'),
  },
  { name: 'unknown course area', field: 'area', edit: (r) => (first(r, 'courses').area = 'bogus_area') },
  { name: 'pain 5.5', field: 'pain', edit: (r) => (first(r, 'sessions').pain = 5.5) },
  { name: 'pain 11', field: 'pain', edit: (r) => (first(r, 'sessions').pain = 11) },
  {
    name: 'session notes over the limit',
    field: 'notes',
    edit: (r) => (first(r, 'sessions').notes = 'x'.repeat(20_001)),
  },
  {
    name: 'date of birth 31/12/1990',
    field: 'date_of_birth',
    edit: (r) => (first(r, 'clients').date_of_birth = '31/12/1990'),
  },
  {
    name: 'deleted_at "garbage"',
    field: 'deleted_at',
    edit: (r) => (first(r, 'clients').deleted_at = 'garbage'),
  },
  {
    name: 'adverse event resolved before its onset',
    field: 'resolved_on',
    edit: (r) =>
      Object.assign(first(r, 'adverse_events'), { onset_on: '2026-03-10', resolved_on: '2026-03-01' }),
  },
  {
    name: 'session id that is not a UUID',
    field: 'id',
    edit: (r) => {
      const s = first(r, 'sessions');
      const old = s.id;
      for (const t of ['session_zones', 'adverse_events', 'photos'])
        for (const row of r.tables[t] ?? []) if (row.session_id === old) row.session_id = 'not-a-uuid';
      s.id = 'not-a-uuid';
    },
  },
  {
    name: 'unknown zone',
    field: 'session_zones.0.zone',
    edit: (r) => (first(r, 'session_zones').zone = 'bogus_zone'),
  },
  {
    name: 'needle depth 9 mm',
    field: 'session_zones.0.depth_mm',
    edit: (r) => (first(r, 'session_zones').depth_mm = 9),
  },
  {
    name: 'session without needle depths',
    field: 'session_zones',
    edit: (r) => {
      const id = first(r, 'sessions').id;
      r.tables.session_zones = r.tables.session_zones!.filter((z) => z.session_id !== id);
    },
  },
  {
    name: 'client name made only of NUL',
    field: 'first_name',
    edit: (r) => (first(r, 'clients').first_name = '\u0000'),
  },
  {
    name: 'control character in a lot number',
    field: 'cartridge_lot',
    edit: (r) => (first(r, 'sessions').cartridge_lot = 'L1\u001b[2J'),
  },
  { name: 'Fitzpatrick type 7', field: 'fitzpatrick', edit: (r) => (first(r, 'clients').fitzpatrick = 7) },
  {
    name: 'unknown contraindication',
    field: 'contraindications',
    edit: (r) => (first(r, 'clients').contraindications = '["bogus"]'),
  },
  {
    name: 'aftercare that is not JSON',
    field: 'aftercare',
    edit: (r) => (first(r, 'sessions').aftercare = 'not json'),
  },
  {
    name: 'unknown aftercare item',
    field: 'aftercare',
    edit: (r) => (first(r, 'sessions').aftercare = '["bogus"]'),
  },
  {
    name: 'occlusion 2',
    field: 'numbing_occlusion',
    edit: (r) => (first(r, 'sessions').numbing_occlusion = 2),
  },
  {
    name: 'photo consent "everyone"',
    field: 'photo_consent',
    edit: (r) => (first(r, 'sessions').photo_consent = 'everyone'),
  },
  { name: 'GAIS 0', field: 'gais_client', edit: (r) => (first(r, 'sessions').gais_client = 0) },
  {
    name: 'created_at "yesterday"',
    field: 'created_at',
    edit: (r) => (first(r, 'sessions').created_at = 'yesterday'),
  },
  { name: 'unknown course status', field: 'status', edit: (r) => (first(r, 'courses').status = 'bogus') },
  {
    name: 'course started on 31 February',
    field: 'started_on',
    edit: (r) => (first(r, 'courses').started_on = '2026-02-31'),
  },
  {
    name: 'practitioner without a name',
    field: 'name',
    edit: (r) => (first(r, 'practitioners').name = '   '),
  },
  {
    name: 'unknown adverse event kind',
    field: 'kind',
    edit: (r) => (first(r, 'adverse_events').kind = 'bogus'),
  },
  {
    name: 'adverse event severity "fatal"',
    field: 'severity',
    edit: (r) => (first(r, 'adverse_events').severity = 'fatal'),
  },
  { name: 'unknown photo view', field: 'view', edit: (r) => (first(r, 'photos').view = 'bogus_view') },
  { name: 'photo that is not a JPEG', field: 'mime', edit: (r) => (first(r, 'photos').mime = 'image/png') },
  { name: 'photo 0 pixels wide', field: 'width', edit: (r) => (first(r, 'photos').width = 0) },
  {
    name: 'photo consent scope "everyone"',
    field: 'consent_scope',
    edit: (r) => (first(r, 'photos').consent_scope = 'everyone'),
  },
  {
    name: 'photo consent declined at "never"',
    field: 'photo_consent_declined_at',
    edit: (r) => (first(r, 'sessions').photo_consent_declined_at = 'never'),
  },
];

/** A plain zip (as the tests edit them) sealed into a bundle envelope under `passphrase`, cheaply. */
export async function sealedZip(file: string, passphrase: string): Promise<Buffer> {
  const sealer = await sealBundleStream(passphrase, TEST_SCRYPT);
  const chunks: Buffer[] = [];
  sealer.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => sealer.on('end', resolve));
  sealer.end(fs.readFileSync(file));
  await done;
  return Buffer.concat(chunks);
}

/** The zip inside an exported bundle, written to a test folder. */
export async function openedZip(bundle: string, passphrase: string): Promise<string> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'needlelog-opened-')), path.basename(bundle));
  fs.writeFileSync(out, await openBundle(fs.readFileSync(bundle), passphrase));
  return out;
}

/**
 * Exports an archive bundle (encrypted under the test passphrase) and returns the zip inside it,
 * opened into a test folder, so the tests can look into the archive itself.
 */
export async function exportZip(services: Services, selection: object): Promise<string> {
  const prepared = prepareExport(
    services.ctx,
    { format: 'zip', selection, passphrase: TEST_PASSPHRASE },
    undefined,
    { scrypt: TEST_SCRYPT },
  );
  await runExport(services.ctx, prepared);
  const inner = path.join(tempDir(), path.basename(prepared.file));
  fs.writeFileSync(inner, await openBundle(fs.readFileSync(prepared.file), TEST_PASSPHRASE));
  return inner;
}
