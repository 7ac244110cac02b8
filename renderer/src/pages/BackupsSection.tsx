import { useEffect, useState, type FormEvent } from 'react';
import type { ApiError, ProgressEvent } from '../../../contract/result.js';
import type { BackupSummary } from '../../../contract/schemas.js';
import { onProgress } from '../api.js';
import { useBackupToFolder, useBackups, useCreateBackup, useRestoreBackup } from '../data/backups.js';
import { Field } from '../components/Field.js';
import { DataTable } from '../components/DataTable.js';
import { fmt, formatInstant } from '../format.js';

const REASONS: Record<BackupSummary['reason'], string> = {
  auto: 'Automatic',
  quit: 'On closing',
  manual: 'Made by hand',
  'pre-restore': 'Before a restore',
  'pre-encrypt': 'Before encrypting',
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function counts(b: Pick<BackupSummary, 'counts'>): string {
  const c = b.counts;
  return [
    plural(c.clients, 'client', 'clients'),
    plural(c.courses, 'course', 'courses'),
    plural(c.sessions, 'session', 'sessions'),
    plural(c.photos, 'photo', 'photos'),
  ].join(' · ');
}

/**
 * Backups on this machine (made every few hours and on closing) with restore, plus a complete copy
 * to another drive. Restoring backs up the current records first, so it can itself be undone.
 */
export function BackupsSection() {
  const list = useBackups();
  const backups = list.data ?? null;
  const createBackup = useCreateBackup();
  const restoreBackup = useRestoreBackup();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<BackupSummary | null>(null);

  async function backUpNow() {
    setBusy(true);
    setError(null);
    const reply = await createBackup({});
    setBusy(false);
    if (!reply.ok) return setError(reply.error);
    setStatus(`Backup made and checked: ${counts(reply.value)}.`);
  }

  async function restore(b: BackupSummary) {
    setConfirming(null);
    setBusy(true);
    setError(null);
    const reply = await restoreBackup({ name: b.name });
    setBusy(false);
    if (!reply.ok) return setError(reply.error);
    const c = reply.value;
    setStatus(
      `Restored the backup from ${formatInstant(b.createdAt)}: ${counts({ counts: c })}. ` +
        'The records as they were just before are kept as a backup "Before a restore".',
    );
  }

  return (
    <section className="card backups" aria-labelledby="backups-title">
      <div className="section-head">
        <h2 id="backups-title">Backups</h2>
        <button type="button" className="button" onClick={() => void backUpNow()} disabled={busy}>
          Back up now
        </button>
      </div>
      <p className="muted">
        NeedleLog backs up this clinic every few hours and when it closes, and checks every backup. Photos are
        kept once and shared by all backups on this machine.
      </p>
      <p className="status-line" role="status">
        {status}
      </p>
      {(error ?? list.error) && (
        <p className="notice notice-error" role="alert">
          {(error ?? list.error)?.message}
        </p>
      )}
      {backups === null ? (
        !list.isError && <p className="muted">Loading backups…</p>
      ) : backups.length === 0 ? (
        <p>No backups yet.</p>
      ) : (
        <DataTable
          caption="Backups on this machine, newest first"
          columns={['Made', 'Why', 'Records', 'Size']}
          buttons="Actions"
        >
          {backups.map((b) => (
            <tr key={b.name}>
              <td className="nowrap">{formatInstant(b.createdAt)}</td>
              <td>{REASONS[b.reason]}</td>
              <td>{counts(b)}</td>
              <td className="nowrap">{fmt().number(b.bytes / 1024 / 1024, 1)} MB</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  aria-label={`Restore the backup from ${formatInstant(b.createdAt)}`}
                  onClick={() => setConfirming(b)}
                >
                  Restore
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {confirming && (
        <div className="notice" role="alertdialog" aria-labelledby="restore-confirm-title">
          <p id="restore-confirm-title">
            <strong>Restore the backup from {formatInstant(confirming.createdAt)}?</strong> The clinic goes
            back to {counts(confirming)}. The records as they are now are backed up first.
          </p>
          <div className="empty-actions">
            <button type="button" className="button primary" onClick={() => void restore(confirming)}>
              Restore this backup
            </button>
            <button type="button" className="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <FolderBackup />
    </section>
  );
}

/** A complete copy (database, photos and a checksum manifest) into a new folder on another drive. */
function FolderBackup() {
  const [folder, setFolder] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  // Listening from the start (not from the click) so that no event of a quick copy is missed.
  const [events, setEvents] = useState<Record<string, ProgressEvent>>({});
  useEffect(() => onProgress((event) => setEvents((prev) => ({ ...prev, [event.jobId]: event }))), []);
  const job = jobId === null ? null : (events[jobId] ?? null);
  const backupToFolder = useBackupToFolder();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setJobId(null);
    const reply = await backupToFolder({ folder });
    if (!reply.ok) return setError(reply.error);
    setJobId(reply.value.jobId);
  }

  const running = job !== null && !job.finished;
  return (
    <form className="folder-backup" onSubmit={(e) => void submit(e)} noValidate>
      <h3>Back up to a folder</h3>
      <Field
        id="backup-folder"
        label="Folder"
        hint="The full path of a folder on an external drive, e.g. /media/usb or E:\Backups. A new folder is made inside it."
        error={error?.field === 'folder' ? error.message : undefined}
      >
        {(a11y) => <input {...a11y} type="text" value={folder} onChange={(e) => setFolder(e.target.value)} />}
      </Field>
      {error && error.field !== 'folder' && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      <div className="empty-actions">
        <button type="submit" className="button primary" disabled={running || folder.trim() === ''}>
          Back up to folder
        </button>
      </div>
      {job && (
        <div className={job.error ? 'job job-failed' : 'job'}>
          <div className="job-text">
            <span id="folder-job-label" className="job-label">
              {job.error ? 'Backup to folder failed' : job.label}
            </span>
            <span className="job-summary" role={job.error ? 'alert' : 'status'}>
              {job.error ??
                (job.finished
                  ? 'Done. Every file is listed with its checksum in manifest.json.'
                  : `${job.done} of ${job.total}`)}
            </span>
          </div>
          <progress aria-labelledby="folder-job-label" max={Math.max(job.total, 1)} value={job.done} />
        </div>
      )}
    </form>
  );
}
