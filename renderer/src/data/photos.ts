import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { Photo } from '../../../contract/schemas.js';
import { channelQuery } from './query.js';
import { RECORDS, byId, useWrite } from './stale.js';

const photosQuery = (courseId: string) => channelQuery('photos.list', { courseId });

/** Every photo of a course (each session's, for the timeline, the ghost and the comparison). */
export function usePhotos(courseId: string) {
  return useQuery(photosQuery(courseId));
}

/**
 * An imported photo joins the course's cached list at once: a batch of twenty files does not read
 * the list twenty times.
 */
export function useAddImportedPhoto(courseId: string): (photo: Photo) => void {
  const client = useQueryClient();
  return useCallback(
    (photo) =>
      client.setQueryData(photosQuery(courseId).queryKey, (list) =>
        list ? [...list.filter((p) => p.id !== photo.id), photo] : list,
      ),
    [client, courseId],
  );
}

/** One file of an import; the list takes the photo itself (`useAddImportedPhoto`). */
export const useImportPhoto = () => useWrite('photos.import', ['audit', 'activity']);
export const useDeletePhoto = () => useWrite('photos.delete', RECORDS, byId);
export const useRestorePhoto = () => useWrite('photos.restore', RECORDS);
export const useRecordPhotoConsent = () => useWrite('photos.consent', RECORDS);
