// Starts write-worker.ts from source through tsx's loader (as bin/dgs.js does for the CLI). A bundle
// without this file and without a built write-worker.js writes in its own thread (writer-pool.ts).
import { register } from 'tsx/esm/api';

register();
await import('./write-worker.ts');
