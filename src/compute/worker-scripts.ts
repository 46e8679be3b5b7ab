/**
 * Where this copy of the code keeps its worker scripts. From the sources (the CLI and the tests run
 * TypeScript through tsx) each worker starts from a small boot file that registers tsx's loader; a built
 * bundle (the app's compute process) ships train-worker.js, label-worker.js and write-worker.js beside
 * itself. The process's entry asks once and hands the answer to the compute core.
 */
import { existingScript, type WorkerScripts } from '../node/worker-script';

export function defaultWorkerScripts(): WorkerScripts {
  const here = import.meta.url;
  if (here.endsWith('.ts'))
    return {
      train: existingScript(new URL('./interpreter/train/worker-boot.mjs', here)),
      label: existingScript(new URL('./interpreter/label/worker-boot.mjs', here)),
      write: existingScript(new URL('../node/dataset-writer/write-worker-boot.mjs', here)),
    };
  return {
    train: existingScript(new URL('./train-worker.js', here)),
    label: existingScript(new URL('./label-worker.js', here)),
    write: existingScript(new URL('./write-worker.js', here)),
  };
}
