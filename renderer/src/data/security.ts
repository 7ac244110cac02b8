import { useQuery } from '@tanstack/react-query';
import { channelQuery } from './query.js';
import { useWrite } from './stale.js';

/** Is the clinic encrypted, and when were its passphrase and recovery key set. */
export function useSecurityStatus() {
  return useQuery(channelQuery('security.get', {}));
}

export const useChangePassphrase = () => useWrite('security.changePassphrase', ['security', 'activity']);
export const useNewRecoveryKey = () => useWrite('security.newRecoveryKey', ['security', 'activity']);
