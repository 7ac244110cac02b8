import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { AuthStatus } from '../../../contract/auth.js';
import { channelQuery, domainOf } from './query.js';
import { CLINIC, RECORDS, byId, markStale, useWrite } from './stale.js';

/** Is the clinic new, encrypted and locked, or open: asked once, before anything else. */
export function useClinicStatus() {
  return useQuery({ ...channelQuery('clinic.status', {}), staleTime: Infinity });
}

/** Who is signed in: read when the app opens, and set from every sign-in, lock and sign-out reply. */
const authStatusQuery = channelQuery('auth.status', {});

export function useAuthStatus(enabled: boolean) {
  return useQuery({ ...authStatusQuery, enabled });
}

/** Puts a sign-in, lock or sign-out reply in place of the cached status. */
export function useSetAuthStatus(): (status: AuthStatus) => void {
  const client = useQueryClient();
  return useCallback((status) => client.setQueryData(authStatusQuery.queryKey, status), [client]);
}

/** Asks the host again who is signed in (it refused a call: signed out or locked on its side). */
export function useRefreshAuth(): () => void {
  const client = useQueryClient();
  return useCallback(() => void client.invalidateQueries({ queryKey: authStatusQuery.queryKey }), [client]);
}

/**
 * Once nobody is signed in (locked, signed out): the next person reads everything afresh, and no
 * client record stays in memory behind the lock screen.
 */
export function useForgetRecords(): () => void {
  const client = useQueryClient();
  return useCallback(() => {
    const records = new Set<string>(RECORDS);
    client.removeQueries({ predicate: (q) => records.has(domainOf(q)) });
    markStale(client, ['settings', 'practitioners']);
  }, [client]);
}

export function useSettings(enabled = true) {
  return useQuery({ ...channelQuery('settings.get', {}), enabled });
}

export function usePractitioners(enabled = true) {
  return useQuery({ ...channelQuery('practitioners.list', {}), enabled });
}

/** Settings or practitioners changed elsewhere: the header, the pages and the sign-in read them again. */
export function useRefreshClinic(): () => void {
  const client = useQueryClient();
  return useCallback(() => markStale(client, CLINIC), [client]);
}

// Settings (ranges, photo sets, the clinic's name) shape how records are shown; a practitioner's
// name is on their sessions.
export const useUpdateSettings = () => useWrite('settings.update', [...CLINIC, ...RECORDS]);
export const useCreatePractitioner = () => useWrite('practitioners.create', CLINIC);
export const useUpdatePractitioner = () => useWrite('practitioners.update', [...CLINIC, ...RECORDS]);
export const useDeletePractitioner = () => useWrite('practitioners.delete', CLINIC, byId);
export const useResetPin = () => useWrite('auth.resetPin', CLINIC);
/** One's own PIN: nothing on screen shows it; the activity log records it. */
export const useChangePin = () => useWrite('auth.changePin', ['activity']);
