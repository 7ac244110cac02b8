import path from 'node:path';
import { ByJob, type ExportResult, type ImportReport } from '../../contract/exports.js';
import { AppError, parseInput } from '../services/errors.js';
import { importUpload } from '../services/exports/index.js';
import type { Handler, HandlerDeps } from './handlers.js';

function finishedExport(deps: HandlerDeps, input: unknown) {
  const { jobId } = parseInput(ByJob, input);
  const job = deps.jobs.exports.result(jobId);
  if (!job) throw new AppError('not_found', 'That export is not finished, or NeedleLog was restarted since.');
  return job;
}

/** The export and import channels (contract/exports.ts). */
export const exportHandlers: {
  'exports.start': Handler<{ jobId: string }>;
  'exports.result': Handler<ExportResult>;
  'exports.reveal': Handler<null>;
  'exports.import': Handler<ImportReport>;
} = {
  'exports.start': (input, deps) => ({ value: deps.jobs.exports.start(deps.services.ctx, input) }),
  'exports.result': (input, deps) => {
    const job = finishedExport(deps, input);
    const fileName = path.basename(job.file);
    const host = deps.exportsHost;
    return {
      value: {
        jobId: job.jobId,
        format: job.format,
        fileName,
        bytes: job.bytes,
        sessions: job.sessions,
        downloadUrl: host?.downloadUrl ? host.downloadUrl(job.jobId, fileName) : null,
        canReveal: Boolean(host?.reveal),
      },
    };
  },
  'exports.reveal': (input, deps) => {
    const job = finishedExport(deps, input);
    const reveal = deps.exportsHost?.reveal;
    if (!reveal)
      throw new AppError('forbidden', 'This window cannot open folders; download the file instead.');
    reveal(job.file);
    return { value: null };
  },
  'exports.import': async (input, deps) => ({ value: await importUpload(deps.services.ctx, input) }),
};
