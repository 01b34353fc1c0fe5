import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where crash-once-image-worker.ts remembers it crashed: workers are threads of the test's process, and share its pid. */
export const crashMarkerPath = () => join(tmpdir(), `gopherchat-crash-once-${process.pid}`);
