import fs from 'node:fs';
import path from 'node:path';
import { EXPORT_FORMATS } from '../../contract/exports.js';
import { closeDatabase, openDatabase } from '../../db/connection.js';
import type { ClinicAccess } from './unlock.js';
import { AppError } from '../services/errors.js';
import { importBundle, openEncryptedBundle, prepareExport, runExport } from '../services/exports/index.js';
import type { ExportProgress } from '../services/exports/files.js';
import { createServices } from '../services/index.js';
import { openExistingClinic } from './openClinic.js';

type Out = (line: string) => void;

export const EXPORT_USAGE = `  export --data-dir DIR --format ${EXPORT_FORMATS.join('|')} (--course ID | --client ID | --all)
         [--from DATE] [--to DATE] [--practitioner ID] [--area AREA] [--include-deleted] --out PATH
         --as NAME                      one row per session (csv), the course report (pdf: one
                                        course or one client, not --all) or an archive bundle (zip:
                                        records, photos, CSV, PDF report, manifest with SHA-256,
                                        all encrypted: under --bundle-passphrase-file FILE, or
                                        the clinic passphrase). CSV and PDF are plain text.
  import --data-dir DIR [--bundle-passphrase-file FILE] BUNDLE --as NAME
                                        open a bundle with its passphrase (default: the clinic's),
                                        verify its manifest, then merge its records by id
                                        (nothing duplicated; the newer updated_at wins, audited)`;

interface ExportArgs {
  format?: string;
  course?: string;
  client?: string;
  all?: boolean;
  from?: string;
  to?: string;
  practitioner?: string;
  area?: string;
  'include-deleted'?: boolean;
  out?: string;
  'bundle-passphrase-file'?: string;
}

/** Progress lines at most every 10 %, and the last one. */
function progressLines(out: Out): ExportProgress {
  let lastLabel = '';
  let last = -1;
  return (p) => {
    if (p.label !== lastLabel) {
      lastLabel = p.label;
      last = -1;
    }
    const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
    if (pct >= last + 10 || p.done === p.total) {
      if (p.total > 1 || p.done === p.total) out(`  ${p.label}: ${p.done}/${p.total}`);
      last = pct;
    }
  };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A bundle's passphrase: --bundle-passphrase-file, else the clinic passphrase the command was given. */
function bundlePassphrase(
  a: { 'bundle-passphrase-file'?: string | undefined },
  unlocked: { secret: string; via: 'passphrase' | 'recovery' },
): string | null {
  const file = a['bundle-passphrase-file'];
  if (file !== undefined) return fs.readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  return unlocked.via === 'passphrase' ? unlocked.secret : null;
}

export async function runExportCommand(
  dataDir: string,
  a: ExportArgs,
  access: ClinicAccess,
  out: Out,
  err: Out,
): Promise<number> {
  const scopes = [a.course, a.client, a.all ? 'all' : undefined].filter((x) => x !== undefined);
  if (!a.format || !(EXPORT_FORMATS as readonly string[]).includes(a.format)) {
    err(`export needs --format ${EXPORT_FORMATS.join(' or ')}${a.format ? `, not "${a.format}"` : ''}.`);
    return 2;
  }
  if (scopes.length !== 1) {
    err('export needs exactly one of --course ID, --client ID or --all.');
    return 2;
  }
  if (!a.out) {
    err('export needs --out PATH: the file to write.');
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
    const passphrase = a.format === 'zip' ? bundlePassphrase(a, unlocked) : null;
    if (a.format === 'zip' && passphrase === null) {
      err(
        'The clinic was opened with its recovery key: give the bundle a passphrase with --bundle-passphrase-file FILE.',
      );
      return 1;
    }
    const outFile = path.resolve(a.out);
    let prepared;
    try {
      prepared = prepareExport(
        services.ctx,
        {
          format: a.format,
          selection: {
            courseId: a.course ?? null,
            clientId: a.client ?? null,
            from: a.from ?? null,
            to: a.to ?? null,
            practitionerId: a.practitioner ?? null,
            area: a.area ?? null,
            includeDeleted: a['include-deleted'] ?? false,
          },
          ...(passphrase !== null ? { passphrase } : {}),
        },
        outFile,
      );
    } catch (e) {
      if (e instanceof AppError && e.code === 'invalid_input') {
        err(`${e.field ? `${e.field}: ` : ''}${e.message}`);
        return 2;
      }
      err(message(e));
      return 1;
    }
    out(`Exporting ${prepared.selection.description}: ${prepared.selection.sessionCount} sessions.`);
    const r = await runExport(services.ctx, prepared, progressLines(out));
    out(`Written: ${r.file} (${r.sessions} sessions, ${(r.bytes / 1024).toFixed(1)} KiB).`);
    return 0;
  } catch (e) {
    err(`Export failed, no file was written: ${message(e)}`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}

export async function runImportCommand(
  dataDir: string,
  bundles: string[],
  a: { 'bundle-passphrase-file'?: string | undefined },
  access: ClinicAccess,
  out: Out,
  err: Out,
): Promise<number> {
  if (bundles.length !== 1) {
    err('import needs exactly one BUNDLE: the .zip file made by "needlelog export --format zip".');
    return 2;
  }
  const bundle = path.resolve(bundles[0] as string);
  if (!fs.existsSync(bundle) || !fs.statSync(bundle).isFile()) {
    err(`There is no file at ${bundle}.`);
    return 1;
  }
  const unlocked = await access.unlock();
  if (typeof unlocked === 'number') return unlocked;
  const passphrase = bundlePassphrase(a, unlocked);
  if (passphrase === null) {
    err('Give the passphrase of the bundle with --bundle-passphrase-file FILE.');
    return 1;
  }
  // The bundle is opened before the sign-in, so a wrong passphrase leaves the clinic untouched.
  let zip: Buffer;
  try {
    zip = await openEncryptedBundle(bundle, passphrase);
  } catch (e) {
    err(`Import refused: ${message(e)}`);
    return 1;
  }
  const actorId = await access.signIn(unlocked.key);
  if (typeof actorId === 'number') return actorId;
  let db;
  try {
    db = openDatabase(dataDir, unlocked.key);
  } catch (e) {
    err(message(e));
    return 1;
  }
  try {
    const services = createServices(db);
    services.actAs(actorId);
    const r = await importBundle(services.ctx, zip, progressLines(out));
    const list = (c: Record<string, number>) =>
      Object.entries(c)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'nothing';
    out(`Imported ${path.basename(bundle)} into ${dataDir}.`);
    out(`  new: ${list(r.created)}`);
    out(`  updated (newer in the bundle): ${list(r.updated)}`);
    out(`  unchanged: ${r.unchanged}; photos added: ${r.photoFiles}`);
    if (r.signedChanged > 0) {
      out(
        `  signed sessions changed by the bundle: ${r.signedChanged}, each with an addendum saying so (the signed record is kept)`,
      );
    }
    return 0;
  } catch (e) {
    err(`Import refused: ${message(e)}`);
    return 1;
  } finally {
    closeDatabase(db);
  }
}
