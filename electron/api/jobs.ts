import type { ProgressEvent } from '../../contract/result.js';
import { newId } from '../../db/ids.js';
import { AppError } from '../services/errors.js';
import type { Services } from '../services/index.js';
import { backupToFolder } from '../services/backupFolder.js';
import { demoClinic, loadDemoStep, hashDemoPins } from '../services/demo.js';
import { loadDemoPhotos } from '../services/demoPhotos.js';
import { createExportJobs } from '../services/exports/index.js';

type ProgressListener = (event: ProgressEvent) => void;

/**
 * Long work runs in small steps with the event loop free in between, so the host keeps answering
 * (and the window keeps painting) while progress events go out to every subscriber.
 */
export function createJobs() {
  const listeners = new Set<ProgressListener>();
  const emit = (e: ProgressEvent) => listeners.forEach((l) => l(e));
  let demoRunning = false;

  return {
    /** Export jobs (CSV, archive bundle) and their finished files. */
    exports: createExportJobs(emit),

    /** Sends a progress event of work that is not one of these jobs (the encryption upgrade). */
    emit,

    subscribe(listener: ProgressListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Copies the clinic to a folder on another drive, reporting each photo copied. */
    startBackupToFolder(services: Services, folder: string): { jobId: string } {
      const jobId = newId();
      const label = 'Backing up to folder';
      emit({ jobId, label, done: 0, total: 1, finished: false });
      backupToFolder(services.ctx.db, services.ctx.dataDir, folder, (p) =>
        emit({ jobId, label: p.label, done: p.done, total: p.total, finished: false }),
      ).then(
        (result) =>
          emit({
            jobId,
            label: `Backup folder written: ${result.folder}`,
            done: 1,
            total: 1,
            finished: true,
          }),
        (err: unknown) =>
          emit({
            jobId,
            label,
            done: 0,
            total: 1,
            finished: true,
            error: err instanceof Error ? err.message : String(err),
          }),
      );
      return { jobId };
    },

    startDemoLoad(services: Services): { jobId: string } {
      if (demoRunning) throw new AppError('conflict', 'The demo clinic is already loading.');
      if (
        services.clients.list({ limit: 1 }).total > 0 ||
        services.clients.list({ limit: 1, deleted: true }).total > 0
      ) {
        throw new AppError(
          'conflict',
          'The demo clinic can only be loaded into an empty clinic, so it never mixes with real records.',
        );
      }
      const jobId = newId();
      const plan = demoClinic();
      const label = 'Loading the demo clinic';
      const total = plan.clients.length;
      demoRunning = true;
      let done = 0;
      // Each step writes one client's records in one transaction, then (for the first few) their
      // synthetic photos, which sharp renders and processes off the event loop.
      const step = async () => {
        try {
          if (done === 0) {
            await hashDemoPins(plan);
            loadDemoStep(services, plan, -1);
          }
          loadDemoStep(services, plan, done);
          await loadDemoPhotos(services, plan, done);
          done += 1;
          const finished = done >= total;
          emit({ jobId, label, done, total, finished });
          if (finished) demoRunning = false;
          else setImmediate(() => void step());
        } catch (err) {
          demoRunning = false;
          emit({
            jobId,
            label,
            done,
            total,
            finished: true,
            error: err instanceof Error ? err.message : String(err),
          });
        }
      };
      setImmediate(() => void step());
      return { jobId };
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
