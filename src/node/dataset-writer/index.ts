/** Public API of dataset generation (docs/dataset-format.md, docs/scale-out.md). */
export { checkNoEarlierRun, runGeneration } from './generate';
export { mergeShards, type MergeOptions } from './merge';
export { writeContactSheet, type ContactSheetSample, type ContactSheetOptions } from './contact-sheet';
export { decideFilter, finalizeDataset } from './finalize';
export { generatedCountFor, filteredCount, seedForIndex, parseFormats, parseShard, type RunPlan } from './run-plan';
export type * from '../../shared/dataset-types';
