import { toAppError } from '@gopherchat/sdk';
import { gopher } from '../../lib/session.ts';
import { postToStore } from './post-to-store.ts';
import { createUploadQueue, type UploadQueueDeps } from './upload-queue.ts';

/**
 * The upload queue, talking to the API and the object store. A chunk of its
 * own (see `createAttachmentStore`): most visits share no file, and the
 * first page load need not carry it.
 */
export const createUploader = (events: Pick<UploadQueueDeps, 'onChange' | 'onConfirmed' | 'onSent'>) =>
  createUploadQueue({
    requestUpload: (input, signal) => gopher.api.attachments.requestUpload.mutate(input, { signal }),
    post: postToStore,
    confirm: (attachmentId) => gopher.api.attachments.confirm.mutate({ attachmentId }),
    discard: (attachmentId) => gopher.api.attachments.discard.mutate({ attachmentId }),
    send: ({ conversationId, clientMessageId, attachmentId, caption }) =>
      gopher.api.messages.send.mutate({
        conversationId,
        clientMessageId,
        content: { type: 'attachment', attachmentId, caption },
      }),
    describe: toAppError,
    newId: () => crypto.randomUUID(),
    ...events,
  });
