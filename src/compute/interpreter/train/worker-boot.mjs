// Starts worker.ts from source through tsx's loader (as bin/dgs.js does for the CLI). A bundle
// without this file (the Electron main build) trains in its own thread (training-pool.ts, workerUrl).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
