/**
 * Label files in and out of the studio: Import labels (PNGs the user picked, checked all together, with
 * the shifted-ids warning `dgs label import` gives) and Export labels (label PNGs named by seed, as the
 * studio shows samples, into a folder on the machine running the studio).
 */
import { exportLabels, importLabelFiles } from '../labels/label-files';
import type { Handlers } from './handlers';
import type { StudioHost } from './studio-host';

export function labelHandlers(host: StudioHost): Pick<Handlers, 'labels:import' | 'labels:export'> {
  return {
    'labels:import': async ({ files, author }) => {
      const project = host.writable();
      const result = importLabelFiles(project, files, host.model().manifest.resolution, author);
      host.changed('annotations', 'all');
      return result;
    },
    'labels:export': async ({ outDir, images }) => {
      const { project } = host.open;
      const dir = host.userPath(outDir, 'output');
      const r = await exportLabels(project, host.compute, dir, { naming: 'seed', images });
      return { outDir: dir, ...r };
    },
  };
}
