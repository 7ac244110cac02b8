import { PHOTO_KINDS, PHOTO_VIEWS } from '../../../contract/domain.js';
import { importSummary } from './photoLogic.js';
import type { PhotoImport } from './usePhotoImport.js';

const STATUS_TEXT = { waiting: 'Waiting', importing: 'Importing…', done: 'Imported', failed: 'Not imported' };

/** The files of an import, each with its own status line, under one progress bar. */
export function ImportProgress({ importer }: { importer: PhotoImport }) {
  const summary = importSummary(importer.items);
  if (importer.items.length === 0) return null;
  return (
    <div className="ph-progress" aria-labelledby="ph-progress-label">
      <div className="ph-progress-head">
        <span id="ph-progress-label" className="ph-progress-label">
          Importing photos
        </span>
        <span role="status" className="ph-progress-text">
          {summary.text}
        </span>
        {summary.finished && (
          <button type="button" className="button small" onClick={importer.clear}>
            Clear list
          </button>
        )}
      </div>
      <progress
        aria-labelledby="ph-progress-label"
        max={Math.max(summary.total, 1)}
        value={summary.imported + summary.failed}
      />
      <ul className="ph-queue" aria-label="Files">
        {importer.items.map((item) => (
          <li key={item.key} className={`ph-queue-item is-${item.status}`}>
            <span className="ph-queue-name">{item.name}</span>
            <span className="ph-queue-meta">
              {PHOTO_KINDS[item.kind]} · {PHOTO_VIEWS[item.view]}
            </span>
            <span className="ph-queue-status">{STATUS_TEXT[item.status]}</span>
            {item.message && <span className="ph-queue-error">{item.message}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
