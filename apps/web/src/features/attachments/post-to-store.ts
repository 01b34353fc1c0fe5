import type { UploadGrantReply } from '@gopherchat/api';
import { UploadFailure } from './upload-queue.ts';

/**
 * Sends a file straight to the object store with its grant: the grant's
 * fields, then the file, as multipart form data. XMLHttpRequest rather than
 * fetch, for the upload's progress. Rejects with an AbortError when
 * cancelled, and with an `UploadFailure` in words otherwise.
 */
export function postToStore(
  grant: UploadGrantReply,
  file: Blob,
  onProgress: (progress: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
    // The store reads the fields before the file, so the file comes last.
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', grant.url);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve();
      else if (request.status === 403)
        reject(new UploadFailure('The upload took too long and was refused. Try again.'));
      else reject(new UploadFailure('The file store refused the upload. Try again in a moment.'));
    };
    request.onerror = () =>
      reject(new UploadFailure('The upload did not get through. Check your connection and try again.'));
    request.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (signal.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    signal.addEventListener('abort', () => request.abort(), { once: true });
    request.send(form);
  });
}
