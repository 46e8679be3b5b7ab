/** Host services with no dialogs and no recent list, for tests and benches that drive the host directly. */
import type { HostServices } from '../studio-host';

export function headlessServices(overrides: Partial<HostServices> = {}): HostServices {
  return {
    transport: 'web',
    chooseProjectFile: async () => null,
    chooseNewProjectFile: async () => null,
    chooseFolder: async () => null,
    chooseFile: async () => null,
    chooseSaveFile: async () => null,
    openFolder: async () => undefined,
    mayUseProject: () => true,
    recent: { list: () => [], add: () => undefined },
    ...overrides,
  };
}
