import type { Command } from '../command';
import { demoCommand } from './demo';
import { generateCommand, manifestMergeCommand } from './generate';
import { infoCommand } from './info';
import { initCommand } from './init';
import { labelExportCommand, labelImportCommand } from './label';
import { sampleCommand } from './sample';
import { serveCommand } from './serve';
import { trainCommand } from './train';

export const COMMANDS: Command[] = [
  initCommand,
  infoCommand,
  sampleCommand,
  labelImportCommand,
  labelExportCommand,
  trainCommand,
  generateCommand,
  manifestMergeCommand,
  demoCommand,
  serveCommand,
];
