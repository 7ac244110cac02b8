import { useEffect, useState } from 'react';
import { PHOTO_KINDS, PHOTO_VIEWS, photoConsentLabel } from '../../../contract/domain.js';
import type { Photo, Session } from '../../../contract/schemas.js';
import { call } from '../api.js';
import type { Undo } from '../components/UndoBar.js';
import { formatDate, localDay } from '../format.js';
import { href } from '../router.js';
import { PhotoCompare } from './PhotoCompare.js';
import { PhotoConsentTag } from './PhotoConsentTag.js';
import { orderPair, photosByView, toggleSelection } from './photoLogic.js';
import '../styles/photos.css';

interface Props {
  courseId: string;
  sessions: readonly Session[];
  offerUndo: (undo: Undo) => void;
  /** Changes when records change elsewhere (undo, demo load): the list is read again. */
  refreshKey: number;
}

/**
 * The course's photos as a timeline per view, in session order. Any two photos can be compared
 * (typically session 1 Before against the latest After of the same view).
 */
export function CoursePhotos({ courseId, sessions, offerUndo, refreshKey }: Props) {
  const [photos, setPhotos] = useState<Photo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [selection, setSelection] = useState<string[]>([]);
  const [pair, setPair] = useState<[string, string] | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    let current = true;
    void call('photos.list', { courseId }).then((reply) => {
      if (!current) return;
      if (reply.ok) {
        setPhotos(reply.value);
        setError(null);
      } else {
        setError(reply.error.message);
      }
    });
    return () => {
      current = false;
    };
  }, [courseId, version, refreshKey]);

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

  function compare(a: Photo, b: Photo) {
    const [l, r] = orderPair(a, b);
    setPair([l.id, r.id]);
    setSelection([l.id, r.id]);
  }

  async function remove(photo: Photo) {
    const reply = await call('photos.delete', { id: photo.id });
    if (!reply.ok) {
      setStatus(`The photo was not deleted: ${reply.error.message}`);
      return;
    }
    setSelection((s) => s.filter((id) => id !== photo.id));
    setPair((p) => (p && p.includes(photo.id) ? null : p));
    setVersion((n) => n + 1);
    setStatus('');
    const name = fullLabel(photo);
    offerUndo({
      message: `Photo deleted: ${name}.`,
      doneMessage: `The photo is back: ${name}.`,
      run: async () => {
        const back = await call('photos.restore', { id: photo.id });
        if (!back.ok) return back.error.message;
        setVersion((n) => n + 1);
        return null;
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
    </section>
  );
}
