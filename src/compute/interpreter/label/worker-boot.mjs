// Starts worker.ts from source through tsx's loader (as bin/dgs.js does for the CLI). A bundle
// without this file and without a built label-worker.js labels in its own thread (thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
