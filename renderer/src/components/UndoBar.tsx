import { useRef, useState } from 'react';
import { useMarkStale } from '../data/stale.js';

export interface Undo {
  /** What just happened, e.g. "Zoë Okafor was deleted." */
  message: string;
  /** Reverts it; resolves to an error message, or null when undone. */
  run: () => Promise<string | null>;
  /** Said once the undo worked. */
  doneMessage: string;
}

interface Props {
  undo: Undo;
  onClose: () => void;
}

/**
 * The bar at the bottom of the window after a soft delete: the record is gone from lists but one
 * big "Undo" brings it back. It stays until dismissed or replaced, so a busy practitioner does not
 * lose the chance while the client is talking. Give it a new `key` for each new offer.
 */
export function UndoBar({ undo, onClose }: Props) {
  const [state, setState] = useState<{ phase: 'offer' | 'working' | 'done'; error: string | null }>({
    phase: 'offer',
    error: null,
  });
  const undoRef = useRef<HTMLButtonElement>(null);
  const markStale = useMarkStale();

  async function run() {
    setState({ phase: 'working', error: null });
    const error = await undo.run();
    // What came back may be on any screen (a list, a course, the overview): all of it is read again.
    if (!error) markStale('all');
    setState(error ? { phase: 'offer', error } : { phase: 'done', error: null });
  }

  return (
    <div className="undo-bar" role="region" aria-label="Undo">
      <p role="status" className="undo-message">
        {state.phase === 'done' ? undo.doneMessage : undo.message}
      </p>
      {state.error && (
        <p role="alert" className="undo-error">
          {state.error}
        </p>
      )}
      {state.phase !== 'done' && (
        <button
          ref={undoRef}
          type="button"
          className="button undo-button"
          disabled={state.phase === 'working'}
          onClick={() => void run()}
        >
          Undo
        </button>
      )}
      <button type="button" className="button small undo-dismiss" onClick={onClose}>
        Dismiss
      </button>
    </div>
  );
}
