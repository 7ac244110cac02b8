// Starts the snapshot worker from TypeScript sources (tsx, vitest): registers tsx in this thread first.
// The built app starts out/main/snapshotWorker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./snapshotWorker.ts');
