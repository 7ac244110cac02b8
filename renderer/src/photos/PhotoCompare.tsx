import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { PHOTO_CONSENT_SCOPES, PHOTO_VIEWS } from '../../../contract/domain.js';
import type { Photo } from '../../../contract/schemas.js';
import { frameAspect, percentAt, sameSessionView, sliderKey, stepSession } from './photoLogic.js';

type Mode = 'slider' | 'side';

const scopeName = (p: Photo) => (p.consentScope ? PHOTO_CONSENT_SCOPES[p.consentScope] : 'not recorded');

interface Props {
  left: Photo;
  right: Photo;
  /** Every photo of the course: the arrows step the right-hand photo through its view's sessions. */
  photos: readonly Photo[];
  label: (photo: Photo) => string;
  onRight: (photo: Photo) => void;
  onClose: () => void;
}

/**
 * Two photos of the course: side by side, or one over the other with a draggable divider. The
 * divider is a slider for the keyboard too; ← and → elsewhere step the right photo by session.
 * Both are fitted whole into one frame shape (see frameAspect) on an opaque stage, and each side of
 * the divider shows only its own photo: one photo's margins never show the other through them.
 */
export function PhotoCompare({ left, right, photos, label, onRight, onClose }: Props) {
  const [mode, setMode] = useState<Mode>('slider');
  const [position, setPosition] = useState(50);
  const [fullscreen, setFullscreen] = useState(false);
  const rootRef = useRef<HTMLElement>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const previous = stepSession(photos, right, -1);
  const next = stepSession(photos, right, 1);
  const sameView = left.view === right.view;
  // Photos of two different views compare poorly: offer the left one's view from the right's session.
  const matching = sameView ? null : sameSessionView(photos, right, left.view);

  useEffect(() => {
    rootRef.current?.focus({ preventScroll: true });
    rootRef.current?.scrollIntoView({ block: 'nearest' });
  }, []);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === rootRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  async function toggleFullscreen() {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await rootRef.current?.requestFullscreen();
    } catch {
      // Full screen can be refused (e.g. not allowed by the host); the comparison still works.
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    const target = e.target as HTMLElement;
    if (target.closest('[role="slider"], input, select, textarea')) return;
    if (e.key === 'ArrowLeft' && previous) {
      e.preventDefault();
      onRight(previous);
    } else if (e.key === 'ArrowRight' && next) {
      e.preventDefault();
      onRight(next);
    }
  }

  function onSliderKey(e: KeyboardEvent<HTMLDivElement>) {
    const value = sliderKey(position, e.key, e.shiftKey);
    if (value === null) return;
    e.preventDefault();
    e.stopPropagation();
    setPosition(value);
  }

  function pointerTo(e: PointerEvent<HTMLDivElement>) {
    const box = stageRef.current?.getBoundingClientRect();
    if (box) setPosition(percentAt(e.clientX, box));
  }

  const aspect = frameAspect(left, right);
  const frame = { ['--ph-aspect' as string]: String(aspect) };
  const leftName = label(left);
  const rightName = label(right);

  return (
    <section
      ref={rootRef}
      className={fullscreen ? 'ph-compare is-fullscreen' : 'ph-compare'}
      aria-label="Photo comparison"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div className="ph-compare-head">
        <h3 className="ph-compare-title">
          {leftName} <span className="muted">vs</span> {rightName}
          {sameView && <span className="ph-compare-view"> · {PHOTO_VIEWS[left.view]}</span>}
        </h3>
        <div className="ph-compare-tools">
          <div className="ph-segments" role="group" aria-label="Comparison layout">
            <button
              type="button"
              className="ph-toggle"
              aria-pressed={mode === 'slider'}
              onClick={() => setMode('slider')}
            >
              Slider
            </button>
            <button
              type="button"
              className="ph-toggle"
              aria-pressed={mode === 'side'}
              onClick={() => setMode('side')}
            >
              Side by side
            </button>
          </div>
          <button
            type="button"
            className="button"
            disabled={!previous}
            onClick={() => previous && onRight(previous)}
            aria-keyshortcuts="ArrowLeft"
          >
            ← Previous session
          </button>
          <button
            type="button"
            className="button"
            disabled={!next}
            onClick={() => next && onRight(next)}
            aria-keyshortcuts="ArrowRight"
          >
            Next session →
          </button>
          <button type="button" className="button" onClick={() => void toggleFullscreen()}>
            {fullscreen ? 'Exit full screen' : 'Full screen'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Close comparison
          </button>
        </div>
      </div>

      {!sameView && (
        <div className="ph-compare-views" role="note">
          <span>
            Different views: {PHOTO_VIEWS[left.view]} on the left, {PHOTO_VIEWS[right.view]} on the right.
            Progress is read within one view.
          </span>
          {matching && (
            <button type="button" className="button small" onClick={() => onRight(matching)}>
              Compare {PHOTO_VIEWS[left.view]} with {PHOTO_VIEWS[left.view]}
            </button>
          )}
        </div>
      )}

      {mode === 'slider' ? (
        <div
          ref={stageRef}
          className="ph-stage"
          style={frame}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            dragging.current = true;
            e.currentTarget.setPointerCapture(e.pointerId);
            pointerTo(e);
          }}
          onPointerMove={(e) => {
            if (dragging.current) pointerTo(e);
          }}
          onPointerUp={(e) => {
            dragging.current = false;
            if (e.currentTarget.hasPointerCapture(e.pointerId))
              e.currentTarget.releasePointerCapture(e.pointerId);
          }}
          onPointerCancel={() => {
            dragging.current = false;
          }}
        >
          <div className="ph-stage-layer" style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }}>
            <img src={left.urls.preview} alt={`Left: ${leftName}`} draggable={false} />
          </div>
          <div className="ph-stage-layer" style={{ clipPath: `inset(0 0 0 ${position}%)` }}>
            <img src={right.urls.preview} alt={`Right: ${rightName}`} draggable={false} />
          </div>
          <span className="ph-stage-tag is-left" aria-hidden="true">
            {leftName}
          </span>
          <span className="ph-stage-tag is-right" aria-hidden="true">
            {rightName}
          </span>
          <div
            className="ph-divider"
            style={{ left: `${position}%` }}
            role="slider"
            tabIndex={0}
            aria-label="Comparison slider"
            aria-orientation="horizontal"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={position}
            aria-valuetext={`${position}% ${leftName}, ${100 - position}% ${rightName}`}
            onKeyDown={onSliderKey}
          >
            <span className="ph-handle" aria-hidden="true">
              ‹ ›
            </span>
          </div>
        </div>
      ) : (
        <div className="ph-side" style={frame}>
          {[left, right].map((p, i) => (
            <figure key={`${i}-${p.id}`} className="ph-side-figure">
              <div className="ph-side-frame">
                <img src={p.urls.preview} alt={`${i === 0 ? 'Left' : 'Right'}: ${label(p)}`} />
              </div>
              <figcaption>{label(p)}</figcaption>
            </figure>
          ))}
        </div>
      )}
      <p className="ph-compare-consent">
        Photo consent: {leftName}, {scopeName(left)} · {rightName}, {scopeName(right)}
      </p>
      <p className="muted ph-compare-hint">
        {mode === 'slider' ? 'Drag the divider or use its arrow keys; ← and → elsewhere' : '← and →'} step the
        right photo through the sessions.
      </p>
    </section>
  );
}
