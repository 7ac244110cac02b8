import type { z } from 'zod';
import {
  ByClient,
  ById,
  CourseInput,
  CourseStatusChange,
  CourseUpdate,
  type Course,
  type CourseData,
} from '../../contract/schemas.js';
import type { CourseStatus } from '../../contract/domain.js';
import {
  getCourse,
  insertCourse,
  listCoursesOfClient,
  updateCourse,
  type CourseRow,
} from '../../db/courses.js';
import { clientStore } from './clients.js';
import type { ServiceContext } from './context.js';
import { localDay } from '../../contract/format.js';
import { withSchedule } from './courseSchedule.js';
import { parseInput, withoutUndefined } from './errors.js';
import {
  createRecord,
  requireLive,
  restore,
  softDelete,
  updateRecord,
  type CreatableStore,
} from './records.js';

export const courseStore: CreatableStore<CourseRow, CourseData & { status: CourseStatus }> = {
  entity: 'course',
  label: 'course',
  get: getCourse,
  insert: insertCourse,
  update: updateCourse,
};

export function courseService(ctx: ServiceContext) {
  const schedule = (row: CourseRow): Course => withSchedule(row, localDay(ctx.now()));

  return {
    list(input: z.input<typeof ByClient>): Course[] {
      const { clientId } = parseInput(ByClient, input);
      return listCoursesOfClient(ctx.db, clientId).map(schedule);
    },

    get(input: z.input<typeof ById>): Course {
      return schedule(requireLive(ctx, courseStore, parseInput(ById, input).id));
    },

    create(input: z.input<typeof CourseInput>): Course {
      const data = parseInput(CourseInput, input);
      const clientIsLive = () => requireLive(ctx, clientStore, data.clientId);
      return schedule(createRecord(ctx, courseStore, { ...data, status: 'active' }, clientIsLive));
    },

    update(input: z.input<typeof CourseUpdate>): Course {
      const { id, patch } = parseInput(CourseUpdate, input);
      return schedule(
        updateRecord(ctx, courseStore, id, (before) => ({ ...before, ...withoutUndefined(patch) })),
      );
    },

    setStatus(input: z.input<typeof CourseStatusChange>): Course {
      const { id, status } = parseInput(CourseStatusChange, input);
      return schedule(updateRecord(ctx, courseStore, id, (before) => ({ ...before, status })));
    },

    delete(input: z.input<typeof ById>): null {
      return softDelete(ctx, courseStore, parseInput(ById, input).id);
    },

    restore(input: z.input<typeof ById>): Course {
      return schedule(
        restore(ctx, courseStore, parseInput(ById, input).id, {
          store: clientStore,
          idOf: (c) => c.clientId,
        }),
      );
    },
  };
}
