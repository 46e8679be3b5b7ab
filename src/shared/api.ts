/**
 * The one typed API between the renderer and the main side (DESIGN §3). Each channel has a request and
 * a response schema; the preload exposes one function per channel, main validates every payload and
 * the sender before calling the handler. The same map serves `dgs serve`'s HTTP transport later.
 */
import { z } from 'zod';
import type { ApiChannelName } from './api-channels';

const LabelClass = z.object({ index: z.number(), name: z.string(), color: z.string(), hotkey: z.string().nullable() });

export const ProjectSummarySchema = z.object({
  file: z.string(),
  name: z.string(),
  schemaVersion: z.number(),
  model: z.object({ sha256: z.string(), name: z.string(), architecture: z.string(), resolution: z.number() }).nullable(),
  classes: z.array(LabelClass),
  counts: z.object({ samples: z.number(), annotations: z.number(), interpreters: z.number(), generationRuns: z.number() }),
});
export type ProjectSummary = z.infer<typeof ProjectSummarySchema>;

export const API_CHANNELS = {
  'app:info': {
    request: z.object({}),
    response: z.object({ version: z.string(), platform: z.string() }),
  },
  'project:choose-and-open': {
    request: z.object({}),
    response: ProjectSummarySchema.nullable(),
  },
  'project:summary': {
    request: z.object({ file: z.string().min(1) }),
    response: ProjectSummarySchema,
  },
} as const satisfies Record<ApiChannelName, { request: z.ZodType; response: z.ZodType }>;

export type ApiChannel = keyof typeof API_CHANNELS;
// Every schema has a name in api-channels.ts and every name a schema (checked by the compiler).
const _sameChannels: [ApiChannel] extends [ApiChannelName] ? ([ApiChannelName] extends [ApiChannel] ? true : never) : never = true;
void _sameChannels;
export type ApiRequest<C extends ApiChannel> = z.infer<(typeof API_CHANNELS)[C]['request']>;
export type ApiResponse<C extends ApiChannel> = z.infer<(typeof API_CHANNELS)[C]['response']>;

/** Results cross the bridge as {ok, value} or {ok: false, message}: a user-facing sentence, never a stack. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** The renderer's view of the API: one async function per channel. */
export type DgsApi = { [C in ApiChannel]: (request: ApiRequest<C>) => Promise<ApiResult<ApiResponse<C>>> };
