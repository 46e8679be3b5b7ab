/**
 * Electron transport of the API: one ipcMain.handle per channel. Every message is checked twice before
 * a handler runs: the sender must be our own top frame (security checklist 17) and the payload must
 * match the channel's schema. Errors go back as a sentence, never a stack trace.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS, type ApiChannel, type ApiResult } from '../shared/api';
import { isUserError } from '../shared/errors';
import { createHandlers, type HostServices } from '../engine/api/handlers';
import { isAppUrl } from './url-policy';

function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function registerApi(host: HostServices): void {
  const handlers = createHandlers(host);
  for (const channel of Object.keys(API_CHANNELS) as ApiChannel[]) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<ApiResult<unknown>> => {
      if (!trustedSender(event)) return { ok: false, message: 'This request did not come from the app window and was refused.' };
      const parsed = API_CHANNELS[channel].request.safeParse(payload ?? {});
      if (!parsed.success) return { ok: false, message: `The app sent a malformed ${channel} request; please report this.` };
      try {
        const handler = handlers[channel] as (r: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.data) };
      } catch (e) {
        if (isUserError(e)) return { ok: false, message: e.message };
        console.error(e);
        return { ok: false, message: `Something went wrong inside the app (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); please report this.` };
      }
    });
  }
}
