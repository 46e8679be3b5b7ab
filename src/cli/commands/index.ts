import type { Command } from '../command';
import { infoCommand } from './info';
import { initCommand } from './init';
import { labelExportCommand, labelImportCommand } from './label';
import { sampleCommand } from './sample';

export const COMMANDS: Command[] = [initCommand, infoCommand, sampleCommand, labelImportCommand, labelExportCommand];
