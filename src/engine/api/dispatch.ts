/**
 * One request, whatever carried it: the channel must exist, the payload must match its schema (else a
 * sentence naming the field, request-issue.ts), and the handler's failure becomes a sentence — a user's
 * mistake as it is, anything else as an internal error without a stack trace. Both transports (Electron IPC, `dgs serve`) call this after checking who sent it.
 */
import { API_CHANNELS, type ApiChannel, type ApiResult } from '../../shared/api';
import { isUserError, userErrorCode } from '../../shared/errors';
import type { Handlers } from './handlers';
import { requestIssueSentence } from './request-issue';

export function isChannel(name: string): name is ApiChannel {
  return Object.prototype.hasOwnProperty.call(API_CHANNELS, name);
}

export async function dispatch(handlers: Handlers, channel: string, payload: unknown): Promise<ApiResult<unknown>> {
  if (!isChannel(channel))
    return { ok: false, message: `There is no "${channel.slice(0, 60)}" request in this version of the app.` };
  const schema = API_CHANNELS[channel].request;
  const parsed = schema.safeParse(payload ?? {});
  if (!parsed.success) return { ok: false, message: requestIssueSentence(schema, payload ?? {}, parsed.error.issues) };
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
