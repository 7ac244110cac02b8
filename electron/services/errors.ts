import type { z } from 'zod';
import { errorFromZod } from '../../contract/result.js';
import { AppError } from './appError.js';

export { AppError } from './appError.js';

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const e = errorFromZod(result.error);
    throw new AppError(e.code, e.message, e.field, e.issues);
  }
  return result.data;
}

/** Parses an edit and drops keys the edit did not mention, so they keep their saved values. */
export function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `That ${what} could not be found. It may have been deleted.`);
}

/** SQLite constraint failures that reach us are bugs in validation; say so without leaking SQL. */
export function isConstraintError(err: unknown): boolean {
  return err instanceof Error && 'code' in err && String(err.code).startsWith('SQLITE_CONSTRAINT');
}
