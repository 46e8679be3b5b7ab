/**
 * The API's channel names alone, with no schema library: the sandboxed preload imports only this (a
 * sandboxed preload cannot load node_modules), and src/shared/api.ts checks it covers every schema.
 */
export const API_CHANNEL_NAMES = [
  'app:info',
  'project:recent',
  'project:open',
  'project:close',
  'project:summary',
  'project:choose-new-file',
  'model:check',
  'project:create',
  'samples:list',
  'samples:add',
  'samples:scores',
  'sample:image',
  'annotation:get',
  'annotation:save',
  'labels:import',
  'labels:export',
  'classes:save',
  'train:start',
  'label:predict',
  'wand:select',
  'samples:suggest',
  'train:quick-cv',
  'interpreters:list',
  'interpreters:use',
  'generate:start',
  'runs:list',
  'run:contact-sheet',
  'graph:export',
  'job:cancel',
  'jobs:list',
  'app:set-author',
  'project:save-upgrade',
  'project:merge',
  'project:save-copy',
  'project:labeler-copy',
  'conflicts:list',
  'conflict:get',
  'conflict:resolve',
  'dialog:choose-save-file',
  'dialog:choose-folder',
  'dialog:choose-file',
  'shell:open-folder',
] as const;
export type ApiChannelName = (typeof API_CHANNEL_NAMES)[number];

/** The IPC channel main sends ApiEvents on (Electron). */
export const API_EVENT_CHANNEL = 'dgs:event';
