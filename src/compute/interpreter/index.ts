/** The style interpreter's public API (docs/interpreter.md). */
export { trainInterpreter, DEFAULT_TRAIN_OPTIONS, QUICK_TRAIN_OPTIONS } from './train-interpreter';
export type { AnnotatedSample, SampleLoader, TrainInterpreterArgs } from './train-interpreter';
export { createLabeler } from './labeler';
export type { Labeler } from './labeler';
