import type { ServerResponse } from 'node:http';
import { isChannel } from '../../../contract/channels.js';
import { admit, dispatch } from '../../api/dispatch.js';
import { requireToken } from '../auth.js';
import { BINARY_CHANNELS, readInput } from '../body.js';
import type { HostContext, RouteRequest } from '../hostContext.js';
import { HttpFailure, sendReply, statusForReply } from '../replies.js';
import { bearerToken } from '../security.js';
import { startStep } from '../../services/startTrace.js';

/** `POST /api/<channel>`: the contract's one dispatch, as the Electron window calls it over IPC. */
export async function serveApi(ctx: HostContext, { req, path }: RouteRequest, res: ServerResponse) {
  requireToken(bearerToken(req), ctx.secret);
  const { deps } = ctx.clinic;
  const channel = path.slice('/api/'.length);
  // An upload from someone not signed in is refused before its bytes are read.
  if (BINARY_CHANNELS.has(channel) && isChannel(channel)) {
    const admitted = admit(deps, channel, ctx.caller);
    if ('refused' in admitted) throw new HttpFailure(admitted.refused);
  }
  const input = await readInput(req, channel);
  const reply = await dispatch(deps, channel, input, ctx.log, ctx.caller);
  sendReply(res, statusForReply(reply), reply);
  startStep(`${channel} answered`);
}
