import { useQuery } from '@tanstack/react-query';
import { channelQuery } from './query.js';
import { RECORDS, byId, useWrite } from './stale.js';

export function useSessions(courseId: string) {
  return useQuery(channelQuery('sessions.list', { courseId }));
}

export function useSession(id: string) {
  return useQuery(channelQuery('sessions.get', { id }));
}

export function useAdverseEvents(courseId: string | undefined) {
  return useQuery({
    ...channelQuery('adverseEvents.list', { courseId: courseId ?? '' }),
    enabled: courseId !== undefined,
  });
}

/** The course's draft of a session not yet saved (one per practitioner and course). */
export function useDraft(courseId: string) {
  return useQuery(channelQuery('drafts.get', { courseId }));
}

export const useDiscardDraft = () => useWrite('drafts.discard', ['drafts']);
// Autosave: nothing on screen shows a draft but the form that saves it.
export const useSaveDraft = () => useWrite('drafts.save', []);

export const useCreateSession = () => useWrite('sessions.create', RECORDS);
export const useUpdateSession = () => useWrite('sessions.update', RECORDS);
export const useDeleteSession = () => useWrite('sessions.delete', RECORDS, byId);
export const useRestoreSession = () => useWrite('sessions.restore', RECORDS);
