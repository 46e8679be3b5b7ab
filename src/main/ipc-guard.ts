/**
 * The checks every IPC request passes before a handler runs: the sender must be our own top frame
 * showing an app:// page (security checklist 17), then dispatch validates the payload against the
 * channel's schema. Kept free of electron imports (the frame is described structurally) so the real
 * function is tested under plain Node.
 */
import type { ApiResult } from '../shared/api';
import { dispatch } from '../engine/api/dispatch';
import type { Handlers } from '../engine/api/handlers';
import { isAppUrl } from './url-policy';

export interface SenderFrame {
  url: string;
  parent: unknown;
}

export function trustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

export async function guardedInvoke(
  handlers: Handlers,
  channel: string,
  frame: SenderFrame | null | undefined,
  payload: unknown,
): Promise<ApiResult<unknown>> {
  if (!trustedSender(frame))
    return { ok: false, message: 'This request did not come from the app window and was refused.' };
  return dispatch(handlers, channel, payload);
}
