import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  PHOTO_CONSENT_SCOPE_KEYS,
  PHOTO_KINDS,
  PHOTO_KIND_KEYS,
  PHOTO_VIEWS,
  PHOTO_VIEW_KEYS,
  type PhotoKind,
  type PhotoView,
} from '../../../contract/domain.js';
import { missingViews } from '../../../contract/photoSets.js';
import type { Photo, Session } from '../../../contract/schemas.js';
import { useAddImportedPhoto, useDeletePhoto, usePhotos, useRestorePhoto } from '../data/photos.js';
import { useSessions } from '../data/sessions.js';
import { LabelOptions } from '../components/LabelOptions.js';
import { CameraCapture, type CameraWalk } from './CameraCapture.js';
import { PhotoConsentDialog } from './PhotoConsentDialog.js';
import { ImportProgress } from './ImportProgress.js';
import { PhotoConsentLine } from './PhotoConsentLine.js';
import { PhotoSetChecklist } from './PhotoSetChecklist.js';
import { SessionPhotoGrid } from './SessionPhotoGrid.js';
import {
  advanceWalk,
  comparePhotos,
  ghostPhoto,
  startWalk,
  walkView,
  type CaptureWalk,
} from './photoLogic.js';
import { usePhotoImport } from './usePhotoImport.js';
import '../styles/photos.css';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.heic,.heif';

const NO_PHOTOS: readonly Photo[] = [];

interface Props {
  session: Pick<Session, 'id' | 'courseId' | 'number' | 'photoConsent' | 'photoConsentDeclinedAt'>;
  /** The standard photo set of the course's area, and the area's name. */
  requiredViews: readonly PhotoView[];
  areaLabel: string;
  /** The client's photo consent was recorded from here (the page's own copy of the session is stale). */
  onConsent?: (session: Session) => void;
}

/** What waits for the client's photo consent: files to import, or the camera to open. */
interface Pending {
  waiting: string;
  go: () => void;
}

/**
 * The photos of one session: choose Before/After/Follow-up and the view, then add many files (picker
 * or drop) or take them with the camera over a ghost of the first session. Each is imported in turn
 * with its own status line; this session's photos are listed below with delete and undo.
 */
export function SessionPhotos({ session, requiredViews, areaLabel, onConsent }: Props) {
  const photosQuery = usePhotos(session.courseId);
  const photos = photosQuery.data ?? NO_PHOTOS;
  const loadError = photosQuery.error?.message ?? null;
  const sessionsQuery = useSessions(session.courseId);
  const sessionNumbers = new Map((sessionsQuery.data ?? []).map((s) => [s.id, s.number]));
  const deletePhoto = useDeletePhoto();
  const restorePhoto = useRestorePhoto();
  const [kind, setKind] = useState<PhotoKind>('before');
  const [view, setView] = useState<PhotoView>('frontal');
  const [camera, setCamera] = useState(false);
  // The camera walking through the set's missing views of one kind (null: one view at a time).
  const [walk, setWalk] = useState<CaptureWalk | null>(null);
  const [dragging, setDragging] = useState(false);
  const [removed, setRemoved] = useState<Photo | null>(null);
  const [notice, setNotice] = useState('');
  const saved = { photoConsent: session.photoConsent, declinedAt: session.photoConsentDeclinedAt };
  const [consent, setConsent] = useState(saved);
  // The page saved the session (its form has a photo consent field too): take its answer.
  const [lastSaved, setLastSaved] = useState(saved);
  if (lastSaved.photoConsent !== saved.photoConsent || lastSaved.declinedAt !== saved.declinedAt) {
    setLastSaved(saved);
    setConsent(saved);
  }
  const [asking, setAsking] = useState<Pending | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const onImported = useAddImportedPhoto(session.courseId);
  const importer = usePhotoImport(session.id, onImported);

  // A photo dropped beside the drop zone must not make the page navigate to the file.
  useEffect(() => {
    const stop = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  const scope = PHOTO_CONSENT_SCOPE_KEYS.find((k) => k === consent.photoConsent) ?? null;

  /** Runs `go` now when the session has photo consent; otherwise asks for it first. */
  function withConsent(waiting: string, go: () => void) {
    if (scope) go();
    else setAsking({ waiting, go });
  }

  function answered(answer: Session) {
    setConsent({ photoConsent: answer.photoConsent, declinedAt: answer.photoConsentDeclinedAt });
    onConsent?.(answer);
    const pending = asking;
    setAsking(null);
    if (answer.photoConsent !== 'none') {
      setNotice('');
      pending?.go();
    } else {
      setNotice(
        'The client declined photo consent: no photo was added, and the answer is kept with the session.',
      );
    }
  }

  function addFiles(list: FileList | null) {
    if (!list || list.length === 0) return;
    const files = [...list].map((f) => ({ blob: f, name: f.name }));
    const [k, v] = [kind, view];
    const count = files.length === 1 ? 'The photo is' : `The ${files.length} photos are`;
    withConsent(`${count} added once consent is recorded.`, () => importer.add(files, k, v));
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    addFiles(e.dataTransfer.files);
  }

  async function remove(photo: Photo) {
    const reply = await deletePhoto({ id: photo.id });
    if (!reply.ok) {
      setNotice(`The photo was not deleted: ${reply.error.message}`);
      return;
    }
    setRemoved(photo);
    setNotice('');
  }

  async function undo() {
    if (!removed) return;
    const reply = await restorePhoto({ id: removed.id });
    if (!reply.ok) {
      setNotice(`The photo could not be brought back: ${reply.error.message}`);
      return;
    }
    setRemoved(null);
    setNotice('The photo is back.');
  }

  const mine = photos.filter((p) => p.sessionId === session.id).sort(comparePhotos);
  const walking = walkView(walk);
  const shotKind = walk && walking ? walk.kind : kind;
  const shotView = walking ?? view;
  const ghost = ghostPhoto(photos, shotView, session.id);
  const ghostLabel = ghost
    ? `session ${sessionNumbers.get(ghost.sessionId) ?? '?'} ${PHOTO_KINDS[ghost.kind].toLowerCase()}, ${PHOTO_VIEWS[shotView].toLowerCase()}`
    : '';

  /** Opens the camera: on the missing views of `k` when the set has any, else on the chosen view. */
  function openCamera(k: PhotoKind) {
    withConsent('The camera opens once consent is recorded.', () => {
      const next = startWalk(k, missingViews(requiredViews, mine, k));
      setKind(k);
      setWalk(next);
      if (next) setView(next.views[0] as PhotoView);
      setCamera(true);
    });
  }

  /** Past the walk's current view, on to the next one still missing; the view select follows. */
  function stepWalk(
    current: CaptureWalk,
    outcome: 'taken' | 'skipped',
    taken: readonly { kind: PhotoKind; view: PhotoView }[],
  ) {
    const next = advanceWalk(current, outcome, missingViews(requiredViews, taken, current.kind));
    setWalk(next);
    const nextView = walkView(next);
    if (nextView) setView(nextView);
    else {
      const skipped = next.skipped.map((v) => PHOTO_VIEWS[v]).join(', ');
      setNotice(
        `Missing ${PHOTO_KINDS[next.kind]} views: ${next.taken.length} taken` +
          (skipped ? `, skipped: ${skipped}.` : '.') +
          ' The camera stays open for any other photo.',
      );
    }
  }

  function captured(blob: Blob, name: string) {
    importer.add([{ blob, name }], shotKind, shotView);
    if (walk && walking) {
      // The capture is not imported yet: count it as taken so the walk does not come back to it.
      stepWalk(walk, 'taken', [...mine, { kind: walk.kind, view: walking }]);
    }
  }

  function closeCamera() {
    setCamera(false);
    setWalk(null);
  }

  const cameraWalk: CameraWalk | null = walk
    ? {
        kind: PHOTO_KINDS[walk.kind],
        steps: walk.views.map((v, i) => ({
          label: PHOTO_VIEWS[v],
          state: walk.taken.includes(v)
            ? 'taken'
            : walk.skipped.includes(v)
              ? 'skipped'
              : i === walk.at
                ? 'current'
                : i < walk.at
                  ? 'taken'
                  : 'to do',
        })),
        onSkip: () => stepWalk(walk, 'skipped', mine),
      }
    : null;

  return (
    <section className="card ph-session" aria-labelledby="ph-session-title">
      <div className="ph-head">
        <h2 id="ph-session-title">Photos of session {session.number}</h2>
        <p className="muted">Stored without location or camera details; the original file is not kept.</p>
      </div>
      <PhotoConsentLine scope={scope} declinedAt={consent.declinedAt} />

      <PhotoSetChecklist
        required={requiredViews}
        photos={mine}
        areaLabel={areaLabel}
        onTakeMissing={openCamera}
      />

      <div className="ph-choose">
        <fieldset className="ph-kinds">
          <legend className="field-label">Photo type</legend>
          <div className="ph-segments">
            {PHOTO_KIND_KEYS.map((k) => (
              <label key={k} className="ph-segment tile-radio">
                <input
                  type="radio"
                  name={`ph-kind-${session.id}`}
                  value={k}
                  checked={kind === k}
                  onChange={() => (camera ? openCamera(k) : setKind(k))}
                />
                <span>{PHOTO_KINDS[k]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field ph-view">
          <span className="field-label">View</span>
          <select
            value={view}
            onChange={(e) => {
              // Choosing a view by hand leaves the walk-through: the next photo is of that view.
              setWalk(null);
              setView(e.target.value as PhotoView);
            }}
          >
            <LabelOptions labels={PHOTO_VIEWS} keys={PHOTO_VIEW_KEYS} />
          </select>
        </label>
      </div>

      <div
        className={dragging ? 'ph-drop is-dragging' : 'ph-drop'}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <div className="ph-drop-actions">
          <label className="button primary large ph-file">
            <input
              ref={fileInput}
              type="file"
              multiple
              accept={ACCEPT}
              className="visually-hidden"
              onChange={(e) => {
                addFiles(e.target.files);
                e.target.value = '';
              }}
            />
            Add photos from files
          </label>
          <button
            type="button"
            className="button large"
            aria-expanded={camera}
            onClick={() => (camera ? closeCamera() : openCamera(kind))}
          >
            {camera ? 'Close camera' : 'Use camera'}
          </button>
        </div>
        <p className="ph-drop-hint">
          …or drop photos here. They are added as <strong>{PHOTO_KINDS[kind]}</strong>,{' '}
          <strong>{PHOTO_VIEWS[view]}</strong>. JPEG, PNG, WebP or HEIC (iPhone).
        </p>
      </div>

      {camera && (
        <CameraCapture
          ghost={ghost}
          ghostLabel={ghostLabel}
          target={`${PHOTO_KINDS[shotKind]} · ${PHOTO_VIEWS[shotView]}`}
          walk={walking ? cameraWalk : null}
          onCapture={captured}
          onClose={closeCamera}
        />
      )}

      <ImportProgress importer={importer} />

      {loadError && (
        <p role="alert" className="field-error">
          The photos could not be listed: {loadError}
        </p>
      )}
      <p className="status-line" role="status">
        {notice}
      </p>
      {removed && (
        <div className="ph-undo" role="status">
          <span>
            {PHOTO_KINDS[removed.kind]} photo ({PHOTO_VIEWS[removed.view]}) deleted.
          </span>
          <button type="button" className="button small" onClick={() => void undo()}>
            Undo
          </button>
        </div>
      )}

      <SessionPhotoGrid session={session} photos={mine} onDelete={(p) => void remove(p)} />
      {asking && (
        <PhotoConsentDialog
          session={session}
          declinedAt={consent.declinedAt}
          waiting={asking.waiting}
          onAnswered={answered}
          onCancel={() => {
            setAsking(null);
            setNotice('No photo was added: photo consent was not recorded.');
          }}
        />
      )}
    </section>
  );
}
