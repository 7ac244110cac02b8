import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent } from '../../../contract/result.js';
import { call, onProgress } from '../api.js';
import type { DemoState } from './DemoProgress.js';

interface DemoLoad {
  demo: DemoState | null;
  demoError: string | null;
  demoBusy: boolean;
  loadDemo: () => void;
  dismiss: () => void;
}

/**
 * The demo clinic load, shared by the welcome screen and the empty client list. Progress events are
 * subscribed for the app's lifetime, so the stream is open before a job starts; events that arrive
 * before the job id is known are kept and applied once it is.
 */
export function useDemoLoad(onFinished: () => void): DemoLoad {
  const [demo, setDemo] = useState<DemoState | null>(null);
  const [demoError, setDemoError] = useState<string | null>(null);
  const demoJobId = useRef<string | null>(null);
  const earlyEvents = useRef<ProgressEvent[]>([]);

  const applyProgress = useCallback(
    (event: ProgressEvent) => {
      setDemo({
        phase: event.error ? 'failed' : event.finished ? 'done' : 'running',
        label: event.label,
        done: event.done,
        total: event.total,
        ...(event.error ? { error: event.error } : {}),
      });
      if (event.finished) {
        demoJobId.current = null;
        onFinished();
      }
    },
    [onFinished],
  );
  const applyRef = useRef(applyProgress);
  useEffect(() => {
    applyRef.current = applyProgress;
  }, [applyProgress]);
  useEffect(
    () =>
      onProgress((event) => {
        if (demoJobId.current === null) earlyEvents.current.push(event);
        else if (event.jobId === demoJobId.current) applyRef.current(event);
      }),
    [],
  );

  const loadDemo = useCallback(() => {
    void (async () => {
      setDemoError(null);
      earlyEvents.current = [];
      setDemo({ phase: 'starting', label: 'Loading the demo clinic', done: 0, total: 0 });
      const reply = await call('demo.load', {});
      if (!reply.ok) {
        setDemo(null);
        setDemoError(reply.error.message);
        return;
      }
      const { jobId } = reply.value;
      const early = earlyEvents.current.filter((e) => e.jobId === jobId);
      earlyEvents.current = [];
      const latest = early[early.length - 1];
      if (latest?.finished) {
        applyRef.current(latest);
      } else {
        demoJobId.current = jobId;
        if (latest) applyRef.current(latest);
      }
    })();
  }, []);

  const dismiss = useCallback(() => setDemo(null), []);
  const demoBusy = demo?.phase === 'starting' || demo?.phase === 'running';
  return { demo, demoError, demoBusy, loadDemo, dismiss };
}
