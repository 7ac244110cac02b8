import { useWrite } from './stale.js';

/**
 * Exports are jobs: started, followed by progress events, fetched once finished (useExportJob).
 * An imported bundle adds records anywhere: every read on screen is read again.
 */
export const useImportBundle = () => useWrite('exports.import', 'all');
