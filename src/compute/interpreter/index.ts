/** The style interpreter's public API (docs/interpreter.md). */
export {
  trainInterpreter,
  openTrainingRun,
  DEFAULT_TRAIN_OPTIONS,
  OFFICIAL_TRAIN_OPTIONS,
  QUICK_TRAIN_OPTIONS,
} from './train/train-interpreter';
export type { AnnotatedSample, SampleLoader, TrainInterpreterArgs } from './train/train-interpreter';
export { createLabeler } from './label/labeler';
export type { Labeler } from './label/labeler';
