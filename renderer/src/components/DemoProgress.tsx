export interface DemoState {
  phase: 'starting' | 'running' | 'done' | 'failed';
  label: string;
  done: number;
  total: number;
  error?: string;
}

interface Props {
  state: DemoState;
  onDismiss: () => void;
}

/** Progress of the demo clinic load, as a real progress bar with a name and a readable summary. */
export function DemoProgress({ state, onDismiss }: Props) {
  const finished = state.phase === 'done' || state.phase === 'failed';
  const summary =
    state.phase === 'starting'
      ? 'Starting…'
      : state.phase === 'failed'
        ? `Stopped after ${state.done} of ${state.total} clients: ${state.error ?? 'unknown error'}`
        : state.phase === 'done'
          ? `Demo clinic loaded: ${state.total} clients.`
          : `${state.done} of ${state.total} clients`;
  return (
    <section className={state.phase === 'failed' ? 'job job-failed' : 'job'} aria-labelledby="demo-job-label">
      <div className="job-text">
        <span id="demo-job-label" className="job-label">
          {state.label}
        </span>
        <span className="job-summary" role={state.phase === 'failed' ? 'alert' : 'status'}>
          {summary}
        </span>
      </div>
      <progress
        aria-labelledby="demo-job-label"
        max={Math.max(state.total, 1)}
        value={state.phase === 'starting' ? undefined : state.done}
      />
      {finished && (
        <button type="button" className="button small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </section>
  );
}
