import { useEffect, useRef, useState } from 'react';
import type { Photo } from '../../../contract/schemas.js';
import { cameraFileName } from './photoLogic.js';

type CameraState = { phase: 'starting' } | { phase: 'live' } | { phase: 'failed'; message: string };

function cameraProblem(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'NeedleLog was not allowed to use the camera. Allow camera access for NeedleLog, then open the camera again — or add photos from files.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this computer. Connect a camera, or add photos from files.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be started: another program may be using it. Close that program and try again.';
    default:
      return 'The camera could not be started. Add photos from files instead.';
  }
}

/** One view of a walk through a session's missing views, as the camera lists it. */
interface WalkStep {
  label: string;
  state: 'taken' | 'skipped' | 'current' | 'to do';
}

/** The walk-through the camera is in: which view is being taken, and the way to pass it over. */
export interface CameraWalk {
  /** E.g. "Before". */
  kind: string;
  steps: WalkStep[];
  onSkip: () => void;
}

interface Props {
  /** The same view from the course's first session, to line the face up with. */
  ghost: Photo | null;
  ghostLabel: string;
  /** The view the next photo is filed under, e.g. "Before · Frontal". */
  target: string;
  /** Set while walking through the missing views of the session's photo set. */
  walk?: CameraWalk | null;
  /** Where the captured frame goes: the same import queue as files. */
  onCapture: (blob: Blob, name: string) => void;
  onClose: () => void;
}

const STEP_TEXT: Record<WalkStep['state'], string> = {
  taken: 'taken',
  skipped: 'skipped',
  current: 'now',
  'to do': 'to do',
};

/**
 * A live camera preview with a semi-transparent ghost of the first session's photo over it. The
 * camera's tracks stop when this closes (or the page is left), so its light goes off.
 */
export function CameraCapture({ ghost, ghostLabel, target, walk, onCapture, onClose }: Props) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<CameraState>({ phase: 'starting' });
  const [showGhost, setShowGhost] = useState(true);
  const [opacity, setOpacity] = useState(40);
  const [aspect, setAspect] = useState(4 / 3);
  const [taken, setTaken] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let cancelled = false;
    const video = videoRef.current;
    if (!navigator.mediaDevices?.getUserMedia) {
      // Deferred so the state is not set during the effect itself.
      queueMicrotask(() => {
        if (!cancelled)
          setState({ phase: 'failed', message: cameraProblem(new DOMException('', 'NotFoundError')) });
      });
      return () => {
        cancelled = true;
      };
    }
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false })
      .then(async (s) => {
        if (cancelled) {
          s.getTracks().forEach((t) => t.stop());
          return;
        }
        stream = s;
        if (video) {
          video.srcObject = s;
          await video.play().catch(() => undefined);
        }
        if (!cancelled) setState({ phase: 'live' });
      })
      .catch((err: unknown) => {
        if (!cancelled) setState({ phase: 'failed', message: cameraProblem(err) });
      });
    return () => {
      cancelled = true;
      stream?.getTracks().forEach((t) => t.stop());
      if (video) video.srcObject = null;
    };
  }, []);

  function capture() {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0 || busy) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.drawImage(video, 0, 0, canvas.width, canvas.height);
    setBusy(true);
    canvas.toBlob(
      (blob) => {
        setBusy(false);
        if (!blob) return;
        onCapture(blob, cameraFileName(new Date()));
        setTaken((n) => n + 1);
      },
      'image/jpeg',
      0.92,
    );
  }

  return (
    <section className="ph-camera" aria-label="Camera">
      {state.phase === 'failed' ? (
        <div role="alert" className="notice notice-error">
          <p>{state.message}</p>
        </div>
      ) : (
        <div className="ph-camera-stage" style={{ aspectRatio: String(aspect) }}>
          <video
            ref={videoRef}
            className="ph-camera-video"
            muted
            playsInline
            aria-label="Live camera picture"
            onLoadedMetadata={(e) => {
              const v = e.currentTarget;
              if (v.videoWidth > 0 && v.videoHeight > 0) setAspect(v.videoWidth / v.videoHeight);
            }}
          />
          {ghost && showGhost && (
            <img
              className="ph-camera-ghost"
              src={ghost.urls.preview}
              alt=""
              style={{ opacity: opacity / 100 }}
              draggable={false}
            />
          )}
          {state.phase === 'starting' && <p className="ph-camera-wait">Starting the camera…</p>}
        </div>
      )}
      <div className="ph-camera-controls">
        {walk && <WalkProgress walk={walk} />}
        <p className="ph-camera-target" aria-live="polite">
          Next photo: <strong>{target}</strong>
        </p>
        {ghost ? (
          <>
            <label className="ph-check">
              <input type="checkbox" checked={showGhost} onChange={(e) => setShowGhost(e.target.checked)} />
              <span>Ghost overlay ({ghostLabel})</span>
            </label>
            <label className="ph-range">
              <span>Ghost opacity</span>
              <input
                type="range"
                min={10}
                max={90}
                step={5}
                value={opacity}
                disabled={!showGhost}
                onChange={(e) => setOpacity(Number(e.target.value))}
                aria-valuetext={`${opacity}%`}
              />
            </label>
          </>
        ) : (
          <p className="muted">
            No earlier photo of this view yet: the first one becomes the ghost for later sessions.
          </p>
        )}
        <div className="ph-camera-actions">
          <button
            type="button"
            className="button primary large"
            disabled={state.phase !== 'live' || busy}
            onClick={capture}
          >
            Take photo
          </button>
          {walk && (
            <button type="button" className="button" onClick={walk.onSkip}>
              Skip this view
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Close camera
          </button>
        </div>
        <p role="status" className="ph-camera-status">
          {taken > 0 ? `${taken} ${taken === 1 ? 'photo' : 'photos'} taken — see the import list.` : ''}
        </p>
      </div>
    </section>
  );
}

/** The views of the walk in order, each marked taken, skipped, now or to do. */
function WalkProgress({ walk }: { walk: CameraWalk }) {
  const current = walk.steps.findIndex((s) => s.state === 'current');
  return (
    <div className="ph-walk">
      <p className="ph-walk-title">
        {current >= 0
          ? `Missing ${walk.kind} views: ${current + 1} of ${walk.steps.length}`
          : `Missing ${walk.kind} views: done`}
      </p>
      <ol className="ph-walk-steps" aria-label={`Missing ${walk.kind} views`}>
        {walk.steps.map((step) => (
          <li
            key={step.label}
            className={`ph-walk-step is-${step.state.replace(' ', '-')}`}
            aria-current={step.state === 'current' ? 'step' : undefined}
          >
            <span className="ph-walk-mark" aria-hidden="true">
              {step.state === 'taken'
                ? '✓'
                : step.state === 'skipped'
                  ? '–'
                  : step.state === 'current'
                    ? '▸'
                    : '○'}
            </span>
            <span className="ph-walk-label">{step.label}</span>
            <span className="ph-walk-state">{STEP_TEXT[step.state]}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
