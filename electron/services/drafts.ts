import type { z } from 'zod';
import { ByCourse, DraftSave, type Draft } from '../../contract/schemas.js';
import { deleteDraft, getDraft, saveDraft } from '../../db/drafts.js';
import { nowIso, type ServiceContext } from './context.js';
import { courseStore } from './courses.js';
import { parseInput } from './errors.js';
import { requireLive } from './records.js';

export function draftService(ctx: ServiceContext) {
  return {
    get(input: z.input<typeof ByCourse>): Draft | null {
      return getDraft(ctx.db, parseInput(ByCourse, input).courseId) ?? null;
    },

    save(input: z.input<typeof DraftSave>): Draft {
      const { courseId, data } = parseInput(DraftSave, input);
      requireLive(ctx, courseStore, courseId);
      const at = nowIso(ctx);
      saveDraft(ctx.db, courseId, data, at);
      return { courseId, data, updatedAt: at };
    },

    discard(input: z.input<typeof ByCourse>): null {
      deleteDraft(ctx.db, parseInput(ByCourse, input).courseId);
      return null;
    },
  };
}
