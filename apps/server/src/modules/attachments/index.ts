export { type AttachmentService, createAttachmentService } from './service.ts';
export type { ProcessedImage, ProcessImageInput } from './thumbnails.ts';

/** The image worker's script, for the worker pool. */
export const imageWorkerUrl = new URL('./thumbnail-worker.ts', import.meta.url);
