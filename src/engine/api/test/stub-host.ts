/**
 * Test doubles for a StudioHost run with the real handlers but without dialogs or a compute process:
 * services whose dialogs choose nothing, and a compute whose every call fails (its rejection is what a
 * project's model load on open swallows; a handler that reaches compute fails its test).
 */
import type { Compute } from '../../../shared/compute-api';
import type { HostServices } from '../studio-host';
import { anyPlace } from '../confined-places';

export function stubServices(overrides: Partial<HostServices> = {}): HostServices {
  return {
    transport: 'web',
    chooseProjectFile: async () => null,
    chooseNewProjectFile: async () => null,
    chooseFolder: async () => null,
    chooseFile: async () => null,
    chooseSaveFile: async () => null,
    openFolder: async () => undefined,
    mayUseProject: () => true,
    place: anyPlace,
    recent: { list: () => [], add: () => undefined },
    ...overrides,
  };
}

export const noCompute = new Proxy({} as Compute, {
  get: (_t, name) =>
    name === 'dispose' ? async () => undefined : () => Promise.reject(new Error(`compute.${String(name)} was called`)),
});
