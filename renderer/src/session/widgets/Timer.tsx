import { elapsedMinutes, formatElapsed } from '../formTimers.js';

interface TimerProps {
  name: string;
  startedAt: number | null;
  now: number;
  startLabel: string;
  runningLabel: string;
  stopLabel: (minutes: number) => string;
  onStart: () => void;
  onStop: (minutes: number) => void;
  onCancel?: () => void;
  cancelLabel?: string;
}

export function Timer(p: TimerProps) {
  if (p.startedAt === null) {
    return (
      <div className="sf-timer">
        <button type="button" className="button sf-timer-start" onClick={p.onStart}>
          {p.startLabel}
        </button>
      </div>
    );
  }
  const minutes = elapsedMinutes(p.startedAt, p.now);
  return (
    <div className="sf-timer is-running">
      <p className="sf-timer-reading" role="timer" aria-label={`${p.runningLabel} ${minutes} min`}>
        <span className="sf-timer-caption">{p.runningLabel}</span>{' '}
        <span className="sf-timer-clock" data-testid={`${p.name}-elapsed`}>
          {formatElapsed(p.startedAt, p.now)}
        </span>{' '}
        <span className="sf-timer-min">({minutes} min)</span>
      </p>
      <button type="button" className="button primary" onClick={() => p.onStop(minutes)}>
        {p.stopLabel(minutes)}
      </button>
      {p.onCancel && (
        <button type="button" className="button small" onClick={p.onCancel}>
          {p.cancelLabel}
        </button>
      )}
    </div>
  );
}
