// First: zod must be jitless before any schema parses (contract/jitless.ts says why).
import '../../../contract/jitless.js';
import { channels, type Channel, type ChannelInput } from '../../../contract/channels.js';
import { errorFromZod, type ApiError } from '../../../contract/result.js';

/**
 * A call's input checked in the renderer with the schema the host checks it with (the channel's in
 * contract/channels.ts), so a form refuses a bad value before the round trip, in the same words and
 * with every field's issue. The only renderer module that runs contract schemas (eslint.config.js).
 * null: the input is valid.
 */
export function checkInput<C extends Channel>(channel: C, input: ChannelInput<C>): ApiError | null {
  const result = channels[channel].input.safeParse(input);
  return result.success ? null : errorFromZod(result.error);
}
