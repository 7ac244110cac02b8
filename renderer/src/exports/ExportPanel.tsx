import { useState } from 'react';
import { EXPORT_FORMATS, type ExportFormat } from '../../../contract/domain.js';
import type { ExportSelection } from '../../../contract/exports.js';
import { BundlePassphraseField, PlaintextNote } from './BundlePassphrase.js';
import { ExportFormatChoice } from './ExportFormatChoice.js';
import { ExportJobStatus } from './ExportJobStatus.js';
import { useExportJob } from './useExportJob.js';
import '../styles/exports.css';

/**
 * "Export" on the course and client pages: choose a format, export, then download the file (browser)
 * or show it in its folder (desktop app).
 */
export function ExportPanel({ selection, what }: { selection: ExportSelection; what: string }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [passphrase, setPassphrase] = useState('');
  const job = useExportJob();
  const id = selection.courseId ? 'course-export' : 'client-export';
  return (
    <section className="card export-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Export</h2>
      <p className="muted">
        Everything recorded for {what}: for a spreadsheet, as a PDF report to hand over, or as an archive
        bundle another NeedleLog can import.
      </p>
      <PlaintextNote />
      <div className="export-row">
        <ExportFormatChoice
          name={`${id}-format`}
          formats={EXPORT_FORMATS}
          value={format}
          onChange={setFormat}
        />
        <button
          type="button"
          className="button"
          disabled={job.running}
          onClick={() => void job.start(format, selection, passphrase)}
        >
          Export
        </button>
      </div>
      {format === 'zip' && (
        <BundlePassphraseField
          id={`${id}-passphrase`}
          value={passphrase}
          onChange={setPassphrase}
          error={job.error?.field === 'passphrase' ? job.error.message : undefined}
        />
      )}
      <ExportJobStatus job={job} idPrefix={id} />
    </section>
  );
}
