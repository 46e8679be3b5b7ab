import type { Command } from '../command';
import { demoCommand } from './demo';
import { exportGraphCommand } from './export-graph';
import { generateCommand, manifestMergeCommand } from './generate';
import { infoCommand } from './info';
import { initCommand } from './init';
import { labelExportCommand, labelImportCommand } from './label';
import { sampleCommand } from './sample';
import { serveCommand } from './serve';
import { copyCommand, mergeCommand, resolveCommand } from './share';
import { suggestCommand } from './suggest';
import { trainCommand } from './train';

export const COMMANDS: Command[] = [
  initCommand,
  infoCommand,
  sampleCommand,
  suggestCommand,
  labelImportCommand,
  labelExportCommand,
  trainCommand,
  generateCommand,
  exportGraphCommand,
  manifestMergeCommand,
  mergeCommand,
  copyCommand,
  resolveCommand,
  demoCommand,
  serveCommand,
];
