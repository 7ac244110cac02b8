import { PHOTO_KINDS, PHOTO_VIEWS, type PhotoKind, type PhotoView } from '../../../contract/domain.js';
import { PHOTO_SET_KINDS, missingViews } from '../../../contract/photoSets.js';

interface Props {
  /** The views the course's area requires (Settings → Standard photo sets). */
  required: readonly PhotoView[];
  /** This session's photos. */
  photos: readonly { kind: PhotoKind; view: PhotoView }[];
  areaLabel: string;
  /** Opens the camera on the missing views of one kind; absent where no camera can be offered. */
  onTakeMissing?: (kind: PhotoKind) => void;
}

/**
 * The session's standard photo set at a glance: for Before and After, each required view ticked
 * or marked missing, with a button that walks the camera through the missing ones.
 */
export function PhotoSetChecklist({ required, photos, areaLabel, onTakeMissing }: Props) {
  if (required.length === 0) {
    return (
      <p className="muted ph-set-none">
        No standard photo set for {areaLabel}: choose its views in Settings to have them checked here.
      </p>
    );
  }
  return (
    <div className="ph-set" role="group" aria-labelledby="ph-set-title">
      <h3 id="ph-set-title" className="ph-set-title">
        Standard photo set <span className="muted">· {areaLabel}</span>
      </h3>
      <div className="ph-set-kinds">
        {PHOTO_SET_KINDS.map((kind) => {
          const missing = missingViews(required, photos, kind);
          const name = PHOTO_KINDS[kind];
          return (
            <div
              key={kind}
              className={missing.length > 0 ? 'ph-set-kind is-missing' : 'ph-set-kind is-complete'}
            >
              <p className="ph-set-kind-head">
                <strong>{name}</strong>{' '}
                <span className="ph-set-count">
                  {missing.length === 0
                    ? 'complete'
                    : `${missing.length} of ${required.length} views missing`}
                </span>
              </p>
              <ul className="ph-set-views" aria-label={`${name} views`}>
                {required.map((view) => {
                  const isMissing = missing.includes(view);
                  return (
                    <li key={view} className={isMissing ? 'ph-set-view is-missing' : 'ph-set-view is-done'}>
                      <span className="ph-set-mark" aria-hidden="true">
                        {isMissing ? '!' : '✓'}
                      </span>
                      <span>{PHOTO_VIEWS[view]}</span>
                      <span className="ph-set-state">{isMissing ? 'missing' : 'taken'}</span>
                    </li>
                  );
                })}
              </ul>
              {missing.length > 0 && onTakeMissing && (
                <button type="button" className="button small" onClick={() => onTakeMissing(kind)}>
                  Take missing {name} views
                </button>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
