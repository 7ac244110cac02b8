import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelInput } from '../../../contract/channels.js';
import { useSaveDraft } from '../data/sessions.js';
import { isLocking, markResume, onBeforeLock } from '../auth/lockHooks.js';
import type { DraftData } from './formValues.js';

const DRAFT_DEBOUNCE_MS = 400;

type DraftStatus = { state: 'idle' } | { state: 'saved'; at: string } | { state: 'error'; message: string };

/**
 * Keeps the course's draft in the database: every change is saved after a short pause, and the
 * last change is still saved when the page goes away. `settle()` stops autosaving and waits for a
 * save in flight, so that a draft cannot land after the session that replaces it.
 */
export function useDraftAutosave(courseId: string, data: DraftData | null) {
  const [status, setStatus] = useState<DraftStatus>({ state: 'idle' });
  const pending = useRef<DraftData | null>(null);
  const inflight = useRef<Promise<unknown>>(Promise.resolve());
  const stopped = useRef(false);
  const saveDraft = useSaveDraft();

  const send = useCallback(
    (draft: DraftData) => {
      if (stopped.current || isLocking()) return;
      pending.current = null;
      const input = { courseId, data: draft as unknown as ChannelInput<'drafts.save'>['data'] };
      inflight.current = inflight.current.then(async () => {
        if (stopped.current || isLocking()) return;
        const reply = await saveDraft(input);
        if (stopped.current) return;
        setStatus(
          reply.ok
            ? { state: 'saved', at: reply.value.updatedAt }
            : { state: 'error', message: reply.error.message },
        );
      });
    },
    [courseId, saveDraft],
  );

  useEffect(() => {
    if (data === null || stopped.current) return;
    pending.current = data;
    const handle = window.setTimeout(() => send(data), DRAFT_DEBOUNCE_MS);
    return () => window.clearTimeout(handle);
  }, [data, send]);

  // Leaving the page (another screen of the app) must not drop the last few keystrokes.
  useEffect(
    () => () => {
      if (pending.current) send(pending.current);
    },
    [send],
  );

  // Locking unmounts the page: save what is typed now, and reopen straight into it after "Unlock".
  useEffect(
    () =>
      onBeforeLock(async () => {
        if (stopped.current) return;
        if (pending.current) send(pending.current);
        await inflight.current;
        markResume(courseId);
      }),
    [send, courseId],
  );

  const settle = useCallback(async () => {
    stopped.current = true;
    pending.current = null;
    await inflight.current;
  }, []);

  /** After a refused save: autosave again, starting with the form as it is now. */
  const resume = useCallback(
    (draft: DraftData) => {
      stopped.current = false;
      send(draft);
    },
    [send],
  );

  return { status, settle, resume };
}
