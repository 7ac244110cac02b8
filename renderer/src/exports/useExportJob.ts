import { useEffect, useState } from 'react';
import type { ExportFormat, ExportResult, ExportSelection } from '../../../contract/exports.js';
import type { ApiError, ProgressEvent, Reply } from '../../../contract/result.js';
import { call, onProgress } from '../api.js';

export interface ExportJobState {
  progress: ProgressEvent | null;
  result: ExportResult | null;
  error: ApiError | null;
  running: boolean;
  start: (format: ExportFormat, selection: ExportSelection, passphrase?: string) => Promise<void>;
  /** Starts an export through another channel that answers with a job (the lot recall's CSV). */
  startWith: (begin: () => Promise<Reply<{ jobId: string }>>) => Promise<void>;
  reveal: () => Promise<void>;
}

/**
 * One export at a time: starts the job, follows its progress events, and when it is done asks the
 * host how to hand the file over (a download address, or "show in folder").
 */
export function useExportJob(): ExportJobState {
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    let current = true;
    let settled = false;
    const finish = (reply: Awaited<ReturnType<typeof call<'exports.result'>>>) => {
      if (!current || settled) return;
      if (reply.ok) {
        settled = true;
        setResult(reply.value);
      } else if (reply.error.code !== 'not_found') {
        settled = true;
        setError(reply.error);
      }
    };
    const stop = onProgress((event) => {
      if (event.jobId !== jobId || !current) return;
      setProgress(event);
      if (!event.finished) return;
      if (event.error) {
        settled = true;
        setError({ code: 'internal', message: event.error });
        return;
      }
      void call('exports.result', { jobId }).then(finish);
    });
    // A short export can finish before the progress stream is listening (events are not replayed):
    // ask once, a moment after the start; a longer one is followed through its events.
    const check = setTimeout(() => void call('exports.result', { jobId }).then(finish), 1500);
    return () => {
      current = false;
      clearTimeout(check);
      stop();
    };
  }, [jobId]);

  async function startWith(begin: () => Promise<Reply<{ jobId: string }>>) {
    setStarting(true);
    setError(null);
    setResult(null);
    setProgress(null);
    const reply = await begin();
    setStarting(false);
    if (!reply.ok) return setError(reply.error);
    setJobId(reply.value.jobId);
  }

  // An archive bundle is encrypted under the passphrase typed for it.
  const start = (format: ExportFormat, selection: ExportSelection, passphrase?: string) =>
    startWith(() =>
      call('exports.start', {
        format,
        selection,
        ...(format === 'zip' ? { passphrase: passphrase ?? '' } : {}),
      }),
    );

  async function reveal() {
    if (!result) return;
    const reply = await call('exports.reveal', { jobId: result.jobId });
    if (!reply.ok) setError(reply.error);
  }

  const running = starting || (jobId !== null && result === null && error === null);
  return { progress, result, error, running, start, startWith, reveal };
}
