import type { ExportJobState } from './useExportJob.js';

const size = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The progress bar of a running export, then the way to the file (download or show in folder). */
export function ExportJobStatus({ job, idPrefix }: { job: ExportJobState; idPrefix: string }) {
  const { progress, result, error } = job;
  if (error) {
    return (
      <p className="notice notice-error" role="alert">
        {error.message}
      </p>
    );
  }
  if (result) {
    return (
      <div className="export-done" role="status">
        <span>
          Exported {result.sessions === 1 ? '1 session' : `${result.sessions} sessions`}:{' '}
          <strong className="export-file">{result.fileName}</strong> ({size(result.bytes)})
        </span>
        {result.downloadUrl && (
          <a className="button primary" href={result.downloadUrl} download={result.fileName}>
            Download
          </a>
        )}
        {result.canReveal && (
          <button type="button" className="button primary" onClick={() => void job.reveal()}>
            Show in folder
          </button>
        )}
      </div>
    );
  }
  if (!progress) return null;
  return (
    <div className="job">
      <div className="job-text">
        <span id={`${idPrefix}-job-label`} className="job-label">
          {progress.label}
        </span>
        <span className="job-summary" role="status">
          {progress.total > 1 ? `${progress.done} of ${progress.total}` : 'Working…'}
        </span>
      </div>
      <progress
        aria-labelledby={`${idPrefix}-job-label`}
        max={Math.max(progress.total, 1)}
        value={progress.done}
      />
    </div>
  );
}
