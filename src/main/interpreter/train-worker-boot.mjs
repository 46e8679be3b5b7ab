// Starts train-worker.ts from source through tsx's loader (as bin/dgs.js does for the CLI); the
// Electron bundle runs its compiled train-worker.js instead (ensemble-workers.ts picks).
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
