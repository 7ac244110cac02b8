import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import {
  AREAS,
  COURSE_OR_CLIENT_FORMATS,
  EXPORT_FORMATS,
  MAX_BUNDLE_UPLOAD_BYTES,
  type Area,
  type ExportFormat,
} from '../../../contract/domain.js';
import type { ImportReport } from '../../../contract/exports.js';
import type { ApiError } from '../../../contract/result.js';
import type { Practitioner } from '../../../contract/schemas.js';
import { DateRangeFields } from '../components/DateRangeFields.js';
import { Field } from '../components/Field.js';
import { LabelOptions, PractitionerOptions } from '../components/LabelOptions.js';
import { BundlePassphraseField, PlaintextNote } from './BundlePassphrase.js';
import { ExportFormatChoice } from './ExportFormatChoice.js';
import { ExportJobStatus } from './ExportJobStatus.js';
import { useImportBundle } from '../data/exports.js';
import { useExportJob } from './useExportJob.js';
import { CheckChoice } from '../components/CheckChoice.js';
import '../styles/exports.css';

/** The Exports screen for clinic managers: the whole clinic (filtered) out, an archive bundle in. */
export function ExportsPage({ practitioners }: { practitioners: Practitioner[] }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <article className="record-page exports-page" aria-labelledby="exports-title">
      <div className="page-head">
        <div>
          <h1 id="exports-title" ref={headingRef} tabIndex={-1}>
            Exports
          </h1>
          <p className="subtitle">
            Take the clinic’s records out as a spreadsheet or a verifiable archive, and bring archives in.
          </p>
        </div>
      </div>
      <ClinicExport practitioners={practitioners} />
      <ImportBundle />
    </article>
  );
}

function ClinicExport({ practitioners }: { practitioners: Practitioner[] }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [passphrase, setPassphrase] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [practitionerId, setPractitionerId] = useState('');
  const [area, setArea] = useState('');
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const job = useExportJob();
  const fieldError = (name: string) =>
    job.error?.field === `selection.${name}` ? job.error.message : undefined;

  return (
    <section className="card" aria-labelledby="clinic-export-title">
      <h2 id="clinic-export-title">Export the clinic</h2>
      <p className="muted">
        Every session of the clinic, or those of a period, a practitioner or a treatment area. Leave a filter
        empty to include everything.
      </p>
      <div className="export-filters">
        <DateRangeFields
          id="export"
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
          errorFor={fieldError}
        />
        <Field id="export-practitioner" label="Practitioner">
          {(a11y) => (
            <select {...a11y} value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)}>
              <PractitionerOptions practitioners={practitioners} />
            </select>
          )}
        </Field>
        <Field id="export-area" label="Course area">
          {(a11y) => (
            <select {...a11y} value={area} onChange={(e) => setArea(e.target.value)}>
              <LabelOptions labels={AREAS} empty="Every area" />
            </select>
          )}
        </Field>
      </div>
      <CheckChoice checked={includeDeleted} onChange={setIncludeDeleted}>
        Include deleted records (marked with their deletion time)
      </CheckChoice>
      <div className="export-row">
        <ExportFormatChoice
          name="clinic-export-format"
          formats={EXPORT_FORMATS.filter((f) => !COURSE_OR_CLIENT_FORMATS.includes(f))}
          value={format}
          onChange={setFormat}
        />
        <button
          type="button"
          className="button primary"
          disabled={job.running}
          onClick={() =>
            void job.start(
              format,
              {
                from: from || null,
                to: to || null,
                practitionerId: practitionerId || null,
                area: (area || null) as Area | null,
                includeDeleted,
              },
              passphrase,
            )
          }
        >
          Export the clinic
        </button>
      </div>
      {format === 'zip' && (
        <BundlePassphraseField
          id="clinic-export-passphrase"
          value={passphrase}
          onChange={setPassphrase}
          error={job.error?.field === 'passphrase' ? job.error.message : undefined}
        />
      )}
      <PlaintextNote />
      <ExportJobStatus
        job={{ ...job, error: job.error?.field ? null : job.error }}
        idPrefix="clinic-export"
      />
    </section>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function describe(c: ImportReport['created'], signedRecords = 0): string {
  const parts = [
    plural(c.clients, 'client', 'clients'),
    plural(c.courses, 'course', 'courses'),
    plural(c.sessions, 'session', 'sessions'),
    plural(c.adverseEvents, 'adverse event', 'adverse events'),
    plural(c.photos, 'photo', 'photos'),
    plural(c.practitioners, 'practitioner', 'practitioners'),
    ...(signedRecords > 0 ? [plural(signedRecords, 'signed record', 'signed records')] : []),
  ];
  return parts.join(', ');
}

function ImportBundle() {
  const importBundle = useImportBundle();
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  function choose(e: ChangeEvent<HTMLInputElement>) {
    setFile(e.target.files?.[0] ?? null);
    setError(null);
    setReport(null);
  }

  async function submit() {
    if (!file) return;
    if (file.size > MAX_BUNDLE_UPLOAD_BYTES) {
      setError({
        code: 'too_large',
        message: `This bundle is larger than ${MAX_BUNDLE_UPLOAD_BYTES / 1024 / 1024} MB; import it with "needlelog import" instead.`,
      });
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    const data = new Uint8Array(await file.arrayBuffer());
    const reply = await importBundle({ fileName: file.name, data, passphrase });
    setBusy(false);
    if (!reply.ok) return setError(reply.error);
    setReport(reply.value);
  }

  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">Import a bundle</h2>
      <p className="muted">
        An archive bundle from another NeedleLog. Its checksums are verified first: a damaged or altered
        bundle is refused and nothing is imported. Records already here are not duplicated; where both have
        the same record, the more recently changed version is kept, and the change is written to the record’s
        history.
      </p>
      <div className="export-row">
        <Field id="import-file" label="Bundle (.zip)">
          {(a11y) => <input {...a11y} type="file" accept=".zip,application/zip" onChange={choose} />}
        </Field>
        <BundlePassphraseField
          id="import-passphrase"
          value={passphrase}
          onChange={setPassphrase}
          forImport
          error={error?.field === 'passphrase' ? error.message : undefined}
        />
        <button
          type="button"
          className="button primary"
          disabled={!file || busy}
          onClick={() => void submit()}
        >
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error && error.field !== 'passphrase' && (
        <p className="notice notice-error" role="alert">
          {error.message}
        </p>
      )}
      {report && (
        <div className="import-report" role="status">
          <p>
            <strong>Imported.</strong> New: {describe(report.created, report.signedRecords)}.
          </p>
          <p>Updated with newer versions from the bundle: {describe(report.updated)}.</p>
          <p>
            Unchanged: {plural(report.unchanged, 'record', 'records')} · photos added: {report.photoFiles}.
          </p>
          {report.signedChanged > 0 && (
            <p>
              {plural(report.signedChanged, 'signed session was', 'signed sessions were')} changed by the
              bundle: each has an addendum saying so, and its signed record is kept as signed.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
