import { useState } from 'react';
import { PHOTO_KINDS, PHOTO_VIEWS, photoConsentLabel, type PhotoView } from '../../../contract/domain.js';
import { PHOTO_SET_KINDS, missingViews } from '../../../contract/photoSets.js';
import type { Photo, Session } from '../../../contract/schemas.js';
import { useDeletePhoto, usePhotos, useRestorePhoto } from '../data/photos.js';
import type { Undo } from '../components/UndoBar.js';
import { formatDate, localDay } from '../format.js';
import { href } from '../router.js';
import { PhotoCompare } from './PhotoCompare.js';
import { PhotoConsentTag } from './PhotoConsentTag.js';
import { orderPair, photosByView, sameViewPartner, toggleSelection } from './photoLogic.js';
import { DataTable } from '../components/DataTable.js';
import '../styles/photos.css';

interface Props {
  courseId: string;
  sessions: readonly Session[];
  /** The standard photo set of the course's area: the summary lists what each session misses. */
  requiredViews: readonly PhotoView[];
  offerUndo: (undo: Undo) => void;
}

/**
 * The course's photos as a timeline per view, in session order. Any two photos can be compared
 * (typically session 1 Before against the latest After of the same view).
 */
export function CoursePhotos({ courseId, sessions, requiredViews, offerUndo }: Props) {
  const photosQuery = usePhotos(courseId);
  const photos = photosQuery.data ?? null;
  const error = photosQuery.error?.message ?? null;
  const deletePhoto = useDeletePhoto();
  const restorePhoto = useRestorePhoto();
  const [selection, setSelection] = useState<string[]>([]);
  const [pair, setPair] = useState<[string, string] | null>(null);
  const [status, setStatus] = useState('');

  const numbers = new Map(sessions.map((s) => [s.id, s.number]));
  const label = (p: Photo) => `Session ${numbers.get(p.sessionId) ?? '?'} ${PHOTO_KINDS[p.kind]}`;
  const fullLabel = (p: Photo) => `${label(p)}, ${PHOTO_VIEWS[p.view]}, ${formatDate(localDay(p.sessionAt))}`;

  if (error) {
    return (
      <section className="card" aria-labelledby="ph-course-title">
        <h2 id="ph-course-title">Photos</h2>
        <p role="alert" className="field-error">
          The photos could not be listed: {error}
        </p>
      </section>
    );
  }
  if (!photos) return null;

  const live = photos;
  const byId = new Map(live.map((p) => [p.id, p]));
  const groups = photosByView(live);
  const shown = pair ? pair.map((id) => byId.get(id)) : null;
  // Ordered when chosen; stepping the right photo later never swaps the sides.
  const compared = shown && shown[0] && shown[1] ? ([shown[0], shown[1]] as const) : null;
  const selected = selection.map((id) => byId.get(id)).filter((p): p is Photo => Boolean(p));
  const firstSession = [...sessions].sort((a, b) => a.number - b.number)[0];
  const lone = selected.length === 1 ? (selected[0] as Photo) : null;
  const partner = lone ? sameViewPartner(live, lone) : null;

  function compare(a: Photo, b: Photo) {
    const [l, r] = orderPair(a, b);
    setPair([l.id, r.id]);
    setSelection([l.id, r.id]);
  }

  async function remove(photo: Photo) {
    const reply = await deletePhoto({ id: photo.id });
    if (!reply.ok) {
      setStatus(`The photo was not deleted: ${reply.error.message}`);
      return;
    }
    setSelection((s) => s.filter((id) => id !== photo.id));
    setPair((p) => (p && p.includes(photo.id) ? null : p));
    setStatus('');
    const name = fullLabel(photo);
    offerUndo({
      message: `Photo deleted: ${name}.`,
      doneMessage: `The photo is back: ${name}.`,
      run: async () => {
        const back = await restorePhoto({ id: photo.id });
        return back.ok ? null : back.error.message;
      },
    });
  }

  return (
    <section className="card ph-course" aria-labelledby="ph-course-title">
      <div className="section-head">
        <h2 id="ph-course-title">Photos</h2>
        {selected.length === 2 ? (
          <button
            type="button"
            className="button primary"
            onClick={() => compare(selected[0] as Photo, selected[1] as Photo)}
          >
            Compare selected
          </button>
        ) : lone && partner ? (
          <span className="ph-partner">
            <span className="muted">Choose one more photo, or</span>
            <button type="button" className="button primary" onClick={() => compare(lone, partner)}>
              Compare with {label(partner)}, {PHOTO_VIEWS[partner.view]}
            </button>
          </span>
        ) : (
          live.length > 1 && (
            <span className="muted">
              {selected.length === 0
                ? 'Choose two photos to compare them.'
                : 'Choose one more photo to compare.'}
            </span>
          )
        )}
      </div>
      <p className="status-line" role="status">
        {status}
      </p>

      {live.length === 0 ? (
        <p className="muted">
          No photos yet. Add Before and After photos from a session’s page
          {firstSession ? (
            <>
              {' '}
              (for example{' '}
              <a href={href({ name: 'editSession', id: firstSession.id })}>session {firstSession.number}</a>)
            </>
          ) : null}
          .
        </p>
      ) : (
        groups.map(([view, list]) => {
          const first = list[0] as Photo;
          const last = [...list].reverse().find((p) => p.sessionId !== first.sessionId) ?? null;
          return (
            <div key={view} className="ph-timeline">
              <div className="ph-timeline-head">
                <h3 id={`ph-view-${view}`}>{PHOTO_VIEWS[view]}</h3>
                {last && (
                  <button type="button" className="button small" onClick={() => compare(first, last)}>
                    Compare first and latest
                  </button>
                )}
              </div>
              <ol className="ph-strip" aria-labelledby={`ph-view-${view}`}>
                {list.map((p) => {
                  const chosen = selection.includes(p.id);
                  return (
                    <li key={p.id} className={chosen ? 'ph-thumb is-chosen' : 'ph-thumb'}>
                      <button
                        type="button"
                        className="ph-thumb-pick"
                        aria-pressed={chosen}
                        // The name holds the caption as shown (WCAG 2.5.3 label in name), the view after it.
                        aria-label={`Select ${label(p)} ${formatDate(localDay(p.sessionAt))} ${photoConsentLabel(p.consentScope)}, ${PHOTO_VIEWS[p.view]}`}
                        onClick={() => setSelection((s) => toggleSelection(s, p.id))}
                      >
                        <span className="ph-frame">
                          <img src={p.urls.thumb} alt="" loading="lazy" draggable={false} />
                        </span>
                        <span className="ph-thumb-caption">
                          <strong>{label(p)}</strong> <span>{formatDate(localDay(p.sessionAt))}</span>{' '}
                          <PhotoConsentTag scope={p.consentScope} />
                        </span>
                      </button>
                      {/* Apart from the tile one taps to select, so a missed tap never deletes. */}
                      <button
                        type="button"
                        className="button small danger ph-thumb-delete"
                        aria-label={`Delete ${fullLabel(p)}`}
                        onClick={() => void remove(p)}
                      >
                        Delete
                      </button>
                    </li>
                  );
                })}
              </ol>
            </div>
          );
        })
      )}

      {compared && (
        <PhotoCompare
          key={`${compared[0].id}`}
          left={compared[0]}
          right={compared[1]}
          photos={live}
          label={label}
          onRight={(p) => {
            const leftId = compared[0].id;
            setPair([leftId, p.id]);
            setSelection([leftId, p.id]);
          }}
          onClose={() => setPair(null)}
        />
      )}

      {/* After the photos, so a long course's table never pushes its timelines down. */}
      <PhotoSetSummary sessions={sessions} photos={live} required={requiredViews} />
    </section>
  );
}

/** Per session, the views of the standard set still missing Before and After (nothing when all are there). */
function PhotoSetSummary({
  sessions,
  photos,
  required,
}: {
  sessions: readonly Session[];
  photos: readonly Photo[];
  required: readonly PhotoView[];
}) {
  if (required.length === 0 || sessions.length === 0) return null;
  const ordered = [...sessions].sort((a, b) => a.number - b.number);
  const rows = ordered.map((s) => {
    const own = photos.filter((p) => p.sessionId === s.id);
    return { session: s, missing: PHOTO_SET_KINDS.map((k) => missingViews(required, own, k)) };
  });
  const incomplete = rows.filter((r) => r.missing.some((m) => m.length > 0)).length;
  return (
    <div className="ph-set-summary">
      <h3 id="ph-set-summary-title">Standard photo set</h3>
      <p className="muted">
        {required.map((v) => PHOTO_VIEWS[v]).join(', ')}, Before and After each session.{' '}
        {incomplete === 0
          ? 'Every session has the whole set.'
          : `${incomplete} of ${rows.length} ${rows.length === 1 ? 'session misses' : 'sessions miss'} views.`}
      </p>
      <DataTable
        className="ph-set-table"
        labelledBy="ph-set-summary-title"
        columns={['Session', ...PHOTO_SET_KINDS.map((k) => PHOTO_KINDS[k])]}
      >
        {rows.map(({ session, missing }) => (
          <tr key={session.id}>
            <th scope="row">
              <a href={href({ name: 'editSession', id: session.id })}>Session {session.number}</a>
              <div className="muted">{formatDate(localDay(session.performedAt))}</div>
            </th>
            {missing.map((views, i) => (
              <td key={PHOTO_SET_KINDS[i]}>
                {views.length === 0 ? (
                  <span className="ph-set-ok">✓ Complete</span>
                ) : (
                  <span className="ph-set-gap">Missing: {views.map((v) => PHOTO_VIEWS[v]).join(', ')}</span>
                )}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
