/**
 * One request, whatever carried it: the channel must exist, the payload must match its schema, and the
 * handler's failure becomes a sentence — a user's mistake as it is, anything else as an internal error
 * without a stack trace. Both transports (Electron IPC, `dgs serve`) call this after checking who sent it.
 */
import { API_CHANNELS, type ApiChannel, type ApiResult } from '../../shared/api';
import { isUserError, userErrorCode } from '../../shared/errors';
import type { Handlers } from './handlers';

export function isChannel(name: string): name is ApiChannel {
  return Object.prototype.hasOwnProperty.call(API_CHANNELS, name);
}

export async function dispatch(handlers: Handlers, channel: string, payload: unknown): Promise<ApiResult<unknown>> {
  if (!isChannel(channel))
    return { ok: false, message: `There is no "${channel.slice(0, 60)}" request in this version of the app.` };
  const parsed = API_CHANNELS[channel].request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` (${issue.path.join('.')}: ${issue.message})` : '';
    return { ok: false, message: `The app sent a malformed ${channel} request${at}; please report this.` };
  }
  try {
    const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    if (isUserError(e)) {
      const code = userErrorCode(e);
      return code ? { ok: false, message: e.message, code } : { ok: false, message: e.message };
    }
    console.error(e);
    return {
      ok: false,
      message: `Something went wrong inside the app (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); please report this.`,
    };
  }
}
