import fs from 'node:fs';
import path from 'node:path';
import {
  BundleImport,
  ExportStart,
  type ExportFormat,
  type ImportReport,
} from '../../../contract/exports.js';
import type { LotRecall } from '../../../contract/lots.js';
import type { ProgressEvent } from '../../../contract/result.js';
import { newId } from '../../../db/ids.js';
import type { ServiceContext } from '../context.js';
import { AppError, parseInput } from '../errors.js';
import { logAccess, requireManager } from '../auth.js';
import { MIN_PASSPHRASE_LENGTH } from '../../../contract/security.js';
import { passphraseOpens, readKeyFile, type ScryptParams } from '../keySlots.js';
import { NotABundleError, openBundle, WrongBundlePassphraseError } from './bundleEnvelope.js';
import type { BundleSecret } from './exportBundle.js';
import { exportsDir, type ExportProgress } from './files.js';
import { exportFormats } from './formats.js';
import { importBundle } from './importBundle.js';
import { exportRecallCsv } from './recallCsv.js';
import { resolveSelection, stamp, type ResolvedSelection } from './selection.js';

export { exportFormats, bundleDocuments } from './formats.js';
export { importBundle } from './importBundle.js';
export { resolveSelection } from './selection.js';

/** A checked export request, ready to run: its file is chosen but not written yet. */
interface PreparedExport {
  format: ExportFormat;
  selection: ResolvedSelection;
  file: string;
  /** Archive bundles: what they are encrypted under. */
  secret?: BundleSecret;
}

/**
 * A new file name in `dir`, reserved by creating it empty (exclusive create): two exports prepared in
 * the same second never get the same file, so one signed download can never serve another's data.
 */
function freeName(dir: string, stem: string, ext: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${stem}${n === 1 ? '' : `-${n}`}.${ext}`);
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Checks the request (so errors land next to their field) and picks the output file. */
export function prepareExport(
  ctx: ServiceContext,
  input: unknown,
  out?: string,
  options: { scrypt?: ScryptParams } = {},
): PreparedExport {
  const { format, selection, passphrase } = parseInput(ExportStart, input);
  const resolved = resolveSelection(ctx, selection);
  const def = exportFormats[format];
  def.check?.(resolved);
  // One course or client: any practitioner; the whole clinic: a manager.
  if (!selection.courseId && !selection.clientId) requireManager(ctx);
  const secret = format === 'zip' ? bundleSecret(ctx, passphrase, options.scrypt) : undefined;
  const file = out ?? freeName(exportsDir(ctx.dataDir), resolved.fileStem, def.extension);
  return { format, selection: resolved, file, ...(secret ? { secret } : {}) };
}

/**
 * The clinic passphrase, or another one chosen for whoever will import the bundle (then it must be
 * as strong as a clinic passphrase).
 */
function bundleSecret(
  ctx: ServiceContext,
  passphrase: string | undefined,
  scrypt?: ScryptParams,
): BundleSecret {
  if (!passphrase)
    throw new AppError(
      'invalid_input',
      'Type the passphrase the bundle is encrypted with: the clinic passphrase, or one for whoever imports it.',
      'passphrase',
    );
  const keyFile = readKeyFile(ctx.dataDir);
  const isClinics = keyFile ? passphraseOpens(keyFile, passphrase) !== null : false;
  if (!isClinics && [...passphrase].length < MIN_PASSPHRASE_LENGTH)
    throw new AppError(
      'invalid_input',
      `A bundle passphrase other than the clinic's needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
      'passphrase',
    );
  return { passphrase, ...(scrypt ? { scrypt } : {}) };
}

interface Written {
  file: string;
  bytes: number;
  sessions: number;
}

/** "needlelog-lot-recall-L2450-17-2026-03-31T14-30-00": the lot kept to letters, digits, ".", "_" and "-". */
function recallFileStem(lot: string, now: Date): string {
  const safe =
    lot
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 40) || 'lot';
  return `needlelog-lot-recall-${safe}-${stamp(now)}`;
}

export async function runExport(
  ctx: ServiceContext,
  prepared: PreparedExport,
  onProgress: ExportProgress = () => {},
): Promise<Written> {
  const written = await exportFormats[prepared.format].write(
    ctx,
    prepared.selection,
    prepared.file,
    onProgress,
    prepared.secret,
  );
  const sessions = typeof written === 'number' ? written : prepared.selection.sessionCount;
  const sel = prepared.selection.selection;
  const [entity, entityId] = sel.courseId
    ? ['course', sel.courseId]
    : sel.clientId
      ? ['client', sel.clientId]
      : ['clinic', 'clinic'];
  logAccess(ctx, 'export', entity, entityId, {
    format: prepared.format,
    what: prepared.selection.description,
    sessions,
  });
  return {
    file: prepared.file,
    bytes: (await fs.promises.stat(prepared.file)).size,
    sessions,
  };
}

/** The Import screen's upload: the bundle's bytes. */
export function importUpload(ctx: ServiceContext, input: unknown): Promise<ImportReport> {
  const { data, passphrase } = parseInput(BundleImport, input);
  return importEncryptedBundle(ctx, Buffer.from(data.buffer, data.byteOffset, data.byteLength), passphrase);
}

/**
 * The zip inside an encrypted bundle (a file or its bytes), opened in memory with its passphrase.
 * A wrong passphrase is refused before anything is decrypted.
 */
export async function openEncryptedBundle(source: string | Buffer, passphrase: string): Promise<Buffer> {
  const bytes = typeof source === 'string' ? await fs.promises.readFile(source) : source;
  try {
    return await openBundle(bytes, passphrase);
  } catch (err) {
    if (err instanceof WrongBundlePassphraseError)
      throw new AppError('invalid_input', `${err.message} Nothing was imported.`, 'passphrase');
    if (err instanceof NotABundleError)
      throw new AppError('invalid_input', `${err.message} Nothing was imported.`);
    throw err;
  }
}

/** Opens an encrypted bundle, then imports it: nothing is written unless the passphrase opens it. */
async function importEncryptedBundle(
  ctx: ServiceContext,
  source: string | Buffer,
  passphrase: string,
  onProgress: ExportProgress = () => {},
): Promise<ImportReport> {
  return importBundle(ctx, await openEncryptedBundle(source, passphrase), onProgress);
}

interface FinishedExport {
  jobId: string;
  format: ExportFormat;
  file: string;
  bytes: number;
  sessions: number;
  finishedAt: number;
}

/** How many finished exports a running NeedleLog remembers (for download / show in folder). */
const REMEMBERED = 50;

/**
 * Export jobs: each runs in the background with progress events; the finished file is remembered
 * by job id so the UI can download it (browser host) or show it in its folder (Electron).
 */
export function createExportJobs(emit: (e: ProgressEvent) => void) {
  const finished = new Map<string, FinishedExport>();

  function launch(
    format: ExportFormat,
    label: string,
    run: (onProgress: ExportProgress) => Promise<Written>,
  ) {
    const jobId = newId();
    emit({ jobId, label, done: 0, total: 1, finished: false });
    setImmediate(() => {
      run((p) => emit({ jobId, label: p.label, done: p.done, total: p.total, finished: false })).then(
        (r) => {
          finished.set(jobId, { jobId, format, ...r, finishedAt: Date.now() });
          while (finished.size > REMEMBERED) finished.delete(finished.keys().next().value as string);
          emit({ jobId, label: `Exported ${path.basename(r.file)}`, done: 1, total: 1, finished: true });
        },
        (err: unknown) =>
          emit({
            jobId,
            label,
            done: 0,
            total: 1,
            finished: true,
            error: `The export failed, no file was written: ${err instanceof Error ? err.message : String(err)}`,
          }),
      );
    });
    return { jobId };
  }

  return {
    start(ctx: ServiceContext, input: unknown): { jobId: string } {
      const prepared = prepareExport(ctx, input);
      const label = prepared.format === 'csv' ? 'Exporting the CSV' : `Exporting (${prepared.format})`;
      return launch(prepared.format, label, (onProgress) => runExport(ctx, prepared, onProgress));
    },

    /** The list of a lot recall as CSV, under exports/ like any export (download or show in folder). */
    startLotRecall(ctx: ServiceContext, recall: LotRecall): { jobId: string } {
      const file = freeName(exportsDir(ctx.dataDir), recallFileStem(recall.lot, ctx.now()), 'csv');
      return launch('csv', 'Exporting the lot recall', async () => {
        const { rows } = await exportRecallCsv(ctx, recall, file);
        return { file, bytes: (await fs.promises.stat(file)).size, sessions: rows };
      });
    },

    result(jobId: string): FinishedExport | undefined {
      return finished.get(jobId);
    },
  };
}
