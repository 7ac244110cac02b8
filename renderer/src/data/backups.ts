import { useQuery } from '@tanstack/react-query';
import { channelQuery } from './query.js';
import { useWrite } from './stale.js';

/** Backups on this machine, newest first. */
export function useBackups() {
  return useQuery(channelQuery('backups.list', {}));
}

export const useCreateBackup = () => useWrite('backups.create', ['backups']);
/** The clinic goes back in time: every read on screen is read again. */
export const useRestoreBackup = () => useWrite('backups.restore', 'all');
/** A job: its progress comes as events; the list on this machine does not change. */
export const useBackupToFolder = () => useWrite('backups.toFolder', []);
