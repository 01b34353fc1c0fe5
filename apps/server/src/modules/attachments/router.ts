import { ZAttachmentLinksInput, ZAttachmentRef, ZRequestUploadInput } from '@gopherchat/api';
import { protectedProcedure, router } from '../../trpc/init.ts';

export const attachmentsRouter = router({
  /** A presigned POST to upload one file straight to the object store. */
  requestUpload: protectedProcedure
    .input(ZRequestUploadInput)
    .mutation(({ ctx, input }) => ctx.services.attachments.requestUpload(ctx.auth.userId, input)),
  /** After the upload: the server checks the file; then it can be sent in a message. */
  confirm: protectedProcedure
    .input(ZAttachmentRef)
    .mutation(({ ctx, input }) => ctx.services.attachments.confirm(ctx.auth.userId, input.attachmentId)),
  /** Drops an uploaded file that will not be sent after all. */
  discard: protectedProcedure
    .input(ZAttachmentRef)
    .mutation(({ ctx, input }) => ctx.services.attachments.discard(ctx.auth.userId, input.attachmentId)),
  links: protectedProcedure
    .input(ZAttachmentLinksInput)
    .query(({ ctx, input }) => ctx.services.attachments.links(ctx.auth.userId, input.attachmentIds)),
});
