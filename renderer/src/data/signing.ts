import { useQuery } from '@tanstack/react-query';
import { channelQuery } from './query.js';
import { RECORDS, useWrite } from './stale.js';

/** The signed-in practitioner's sessions still unsigned after the clinic's reminder age. */
export function useUnsignedSessions() {
  return useQuery(channelQuery('signing.unsigned', {}));
}

export function useCourseSigning(courseId: string) {
  return useQuery(channelQuery('signing.ofCourse', { courseId }));
}

export function useSessionSigning(sessionId: string) {
  return useQuery(channelQuery('signing.get', { id: sessionId }));
}

export function useCourseConsents(courseId: string) {
  return useQuery(channelQuery('consents.ofCourse', { courseId }));
}

export const useSignSession = () => useWrite('signing.sign', RECORDS);
export const useCosignSession = () => useWrite('signing.cosign', RECORDS);
export const useAmendSession = () => useWrite('signing.amend', RECORDS);
export const useSignConsent = () => useWrite('consents.sign', RECORDS);
