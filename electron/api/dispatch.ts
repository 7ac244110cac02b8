import { isChannel } from '../../contract/channels.js';
import type { Reply } from '../../contract/result.js';
import { AppError, isConstraintError } from '../services/errors.js';
import { handlers, type HandlerDeps } from './handlers.js';

export type Logger = (message: string, err?: unknown) => void;

/**
 * The one entry point both hosts call: channel name and raw input in, a serialisable reply out.
 * It never throws: a failing handler becomes an `internal` reply and is logged, so one bad
 * request cannot take a host down.
 */
export async function dispatch(
  deps: HandlerDeps,
  channel: string,
  input: unknown,
  log: Logger,
): Promise<Reply<unknown>> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `There is no API channel "${channel}".` },
    };
  }
  try {
    const outcome = await handlers[channel](input, deps);
    return outcome.warnings && outcome.warnings.length > 0
      ? { ok: true, value: outcome.value, warnings: outcome.warnings }
      : { ok: true, value: outcome.value };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err.toApiError() };
    if (isConstraintError(err)) {
      log(`constraint failure on ${channel}`, err);
      return {
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'That change conflicts with a saved record and was not made.',
        },
      };
    }
    log(`handler for ${channel} failed`, err);
    return {
      ok: false,
      error: {
        code: 'internal',
        message: 'Something went wrong on our side. Nothing was changed; please try again.',
      },
    };
  }
}
