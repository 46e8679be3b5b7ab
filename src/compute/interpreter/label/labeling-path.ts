/**
 * Which labeler runs (docs/interpreter.md, "Which labeler runs"). Both give the same label bytes on the
 * CPU; they differ in where the work happens and what it costs:
 * - 'one-graph': every stage in onnxruntime, on the session's provider (one-graph.ts), merged with the
 *   generator where the images are made (src/compute/fused/). On a GPU provider this is the only path
 *   that keeps the feature maps on the device.
 * - 'streamed': onnxruntime's products with the WebAssembly upsampling kernel between runs (labeler.ts).
 *   On the CPU it is the faster of the two at every size measured (docs/benchmarks.md, "Labeling"): the
 *   kernel resamples the projections in one pass, where the graph's Gather/Mul/Add make several.
 */
export type LabelingPath = 'streamed' | 'one-graph';
/** A caller's choice: 'auto' applies the rule; a path forces it (tests, benchmarks). */
export type LabelingPathChoice = 'auto' | LabelingPath;

/** The rule: on a GPU provider one graph; on the CPU the streamed labeler. */
export function labelingPath(choice: LabelingPathChoice | undefined, provider: string): LabelingPath {
  if (choice && choice !== 'auto') return choice;
  return provider === 'cpu' ? 'streamed' : 'one-graph';
}
