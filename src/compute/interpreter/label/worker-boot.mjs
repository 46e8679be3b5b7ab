// Starts worker.ts from the sources through tsx's loader; a built bundle ships its own compiled copy
// beside it instead (src/compute/worker-scripts.ts).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
