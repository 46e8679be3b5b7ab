/**
 * The API's channel names alone, with no schema library: the sandboxed preload imports only this (a
 * sandboxed preload cannot load node_modules), and src/shared/api.ts checks it covers every schema.
 */
export const API_CHANNEL_NAMES = ['app:info', 'project:choose-and-open', 'project:summary'] as const;
export type ApiChannelName = (typeof API_CHANNEL_NAMES)[number];
