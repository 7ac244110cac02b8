// Starts the database worker from TypeScript sources (tsx, vitest): registers tsx in this thread first.
// The built app starts out/main/dbWorker.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./dbWorker.ts');
