import { useMemo, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { PHOTO_KINDS, PHOTO_VIEWS, type PhotoKind, type PhotoView } from '../../../contract/domain.js';
import type { ProgressSession } from '../../../contract/progress.js';
import type { Photo } from '../../../contract/schemas.js';
import { useCourseProgress } from '../data/overview.js';
import { usePhotos } from '../data/photos.js';
import { fmt } from '../format.js';
import { LineChart } from './LineChart.js';
import { progressCharts, type ChartSpec } from '../../../charts/progressCharts.js';
import { FRAME } from '../../../charts/scale.js';
import { pickStripPhotos, stripViews } from './strip.js';
import '../styles/charts.css';

const NO_PHOTOS: readonly Photo[] = [];

/**
 * The progress section of a course page: one chart at a time (tabs), big enough to show a client in
 * the chair, with a strip of one photo view aligned under the sessions. In print every chart shows.
 */
export function CourseProgressCharts({ courseId }: { courseId: string }) {
  const progressQuery = useCourseProgress(courseId);
  const progress = progressQuery.data ?? null;
  const error = progressQuery.error?.message ?? null;
  // The strip under the charts is an extra: no photos when they cannot be listed.
  const photos = usePhotos(courseId).data ?? NO_PHOTOS;
  const [selected, setSelected] = useState<ChartSpec['id']>('depth');

  const charts = useMemo(
    () => (progress ? progressCharts(progress, (n) => fmt().number(n)) : []),
    [progress],
  );

  if (error) {
    return (
      <p role="alert" className="notice notice-error">
        The progress charts could not be drawn: {error}
      </p>
    );
  }
  if (!progress) return <p className="muted">Loading progress…</p>;
  const current = charts.find((c) => c.id === selected) ?? charts[0]!;

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = charts.findIndex((c) => c.id === current.id);
    const next =
      e.key === 'ArrowRight'
        ? (i + 1) % charts.length
        : e.key === 'ArrowLeft'
          ? (i - 1 + charts.length) % charts.length
          : -1;
    if (next < 0) return;
    e.preventDefault();
    setSelected(charts[next]!.id);
    document.getElementById(`chart-tab-${charts[next]!.id}`)?.focus();
  };

  const late = progress.sessions.filter((s) => s.late).length;
  const withEvents = progress.sessions.filter((s) => s.adverseEvents.length > 0).length;

  return (
    <div className="progress-charts">
      <p className="chart-summary">
        {progress.sessions.length === 0
          ? 'No sessions yet: the charts fill in as sessions are logged.'
          : `${progress.sessions.length} of ${progress.plannedSessions} planned sessions, planned every ${progress.plannedIntervalDays} days.`}
        {late > 0 && (
          <span className="badge badge-warn chart-key-late">
            {late} late {late === 1 ? 'session' : 'sessions'} (shaded)
          </span>
        )}
        {withEvents > 0 && (
          <span className="badge badge-danger chart-key-ae">
            <span aria-hidden="true">▲!</span> adverse events on {withEvents}{' '}
            {withEvents === 1 ? 'session' : 'sessions'}
          </span>
        )}
      </p>
      <div role="tablist" aria-label="Progress charts" className="chart-tabs">
        {charts.map((c) => (
          <button
            key={c.id}
            id={`chart-tab-${c.id}`}
            type="button"
            role="tab"
            aria-selected={c.id === current.id}
            aria-controls={`chart-panel-${c.id}`}
            tabIndex={c.id === current.id ? 0 : -1}
            className="chart-tab"
            onClick={() => setSelected(c.id)}
            onKeyDown={onTabKey}
          >
            {c.title}
          </button>
        ))}
      </div>
      {charts.map((c) => (
        <div
          key={c.id}
          id={`chart-panel-${c.id}`}
          role="tabpanel"
          aria-labelledby={`chart-tab-${c.id}`}
          className="chart-panel"
          hidden={c.id !== current.id}
        >
          <LineChart
            spec={c}
            sessions={progress.sessions}
            plannedIntervalDays={progress.plannedIntervalDays}
          />
        </div>
      ))}
      <PhotoStrip sessions={progress.sessions} photos={photos} />
    </div>
  );
}

/** Thumbnails of one chosen view, one per session, in the same bands as the chart above. */
function PhotoStrip({
  sessions,
  photos,
}: {
  sessions: readonly ProgressSession[];
  photos: readonly Photo[];
}) {
  const views = useMemo(() => stripViews(photos), [photos]);
  const [view, setView] = useState<PhotoView | ''>('');
  const [kind, setKind] = useState<PhotoKind>('before');
  const chosenView = view || views[0] || 'frontal';
  if (sessions.length === 0) return null;
  const picked = pickStripPhotos(sessions, photos, chosenView, kind);
  const layout: CSSProperties = {
    paddingLeft: `${(FRAME.left / FRAME.width) * 100}%`,
    paddingRight: `${(FRAME.right / FRAME.width) * 100}%`,
    gridTemplateColumns: `repeat(${sessions.length}, minmax(0, 1fr))`,
  };
  return (
    <section className="photo-strip" aria-label="Photos by session">
      <div className="photo-strip-controls">
        <label>
          View{' '}
          <select value={chosenView} onChange={(e) => setView(e.target.value as PhotoView)}>
            {(Object.keys(PHOTO_VIEWS) as PhotoView[]).map((v) => (
              <option key={v} value={v}>
                {PHOTO_VIEWS[v]}
                {views.includes(v) ? '' : ' (none)'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Photo{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as PhotoKind)}>
            {(Object.keys(PHOTO_KINDS) as PhotoKind[]).map((k) => (
              <option key={k} value={k}>
                {PHOTO_KINDS[k]}
              </option>
            ))}
          </select>
        </label>
        {photos.length === 0 && <span className="muted">No photos in this course yet.</span>}
      </div>
      {photos.length > 0 && (
        <ol className="photo-strip-cells" style={layout}>
          {sessions.map((s, i) => {
            const photo = picked[i];
            return (
              <li key={s.id} className="photo-strip-cell">
                {photo ? (
                  <img
                    src={photo.urls.thumb}
                    alt={`Session ${s.number}, ${PHOTO_VIEWS[chosenView].toLowerCase()}, ${PHOTO_KINDS[photo.kind].toLowerCase()}`}
                    loading="lazy"
                  />
                ) : (
                  <span className="photo-strip-empty" aria-label={`Session ${s.number}: no photo`}>
                    —
                  </span>
                )}
                <span className="photo-strip-number" aria-hidden="true">
                  #{s.number}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
