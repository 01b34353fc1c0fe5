import { findLinks, type LinkPreview, type Message, type MessageContent } from '@gopherchat/api';
import type { Logger } from 'pino';
import { AppError } from '../../errors.ts';
import { requireRole } from './access.ts';
import type { EventLog } from './event-log.ts';
import { messageEvent, toMessage } from './message-view.ts';
import { createConversationRepo } from './repo.ts';

/** What messages need of link previews (a port: the link-previews module reads pages). */
export interface PreviewsForMessages {
  previewOf(url: string): Promise<LinkPreview | null>;
}

/** Previews waiting past this many are dropped: a burst of links must not grow memory without bound. */
const QUEUE_MAX = 1_000;

/** The link a text's preview is for: its first. */
export function previewedLinkOf(content: MessageContent): string | undefined {
  return content.type === 'text' ? findLinks(content.text)[0]?.href : undefined;
}

/**
 * Preview cards on messages: after a text with a link is sent (or edited),
 * its page is read in the background, a few at a time, and the card is
 * added to the message as a change everyone gets live. Best effort: a
 * restart loses the previews still waiting, never a message. The sender may
 * remove a card; it does not come back.
 */
export function createLinkPreviewJobs(deps: {
  log: EventLog;
  /** Undefined: previews are off. */
  previews: PreviewsForMessages | undefined;
  /** Pages read at once. */
  concurrency: number;
  logger: Logger;
}) {
  const { log, previews, logger } = deps;
  const waiting: { conversationId: string; seq: number; url: string }[] = [];
  let running = 0;
  /** Settles when nothing is waiting or running: for tests that prove no card came. */
  let idle = Promise.withResolvers<void>();
  idle.resolve();

  async function attach(job: { conversationId: string; seq: number; url: string }, preview: LinkPreview) {
    await log.write(async (tx) => {
      const on = createConversationRepo(tx);
      const row = await on.lockMessage(job.conversationId, job.seq);
      // Meanwhile it may have been deleted, edited to another link, or given its card (a retry's).
      const isStillWanted =
        row && !row.deletedAt && !row.linkPreview && previewedLinkOf(row.content as MessageContent) === job.url;
      if (!isStillWanted) return { result: undefined, events: [] };
      const updated = await on.updateMessage(job.conversationId, job.seq, { linkPreview: preview });
      return { result: undefined, events: [messageEvent(updated, 'message_updated')] };
    });
  }

  function pump() {
    while (previews && running < deps.concurrency && waiting.length > 0) {
      const job = waiting.shift() as (typeof waiting)[number];
      running++;
      void previews
        .previewOf(job.url)
        .then((preview) => preview && attach(job, preview))
        .catch((error) => logger.warn({ err: error, url: job.url }, 'link preview not added'))
        .finally(() => {
          running--;
          pump();
          if (running === 0 && waiting.length === 0) idle.resolve();
        });
    }
  }

  return {
    /** Reads the page of the message's first link later, unless previews are off or it has none. */
    schedulePreview(message: Message) {
      const url = previewedLinkOf(message.content);
      if (!previews || !url || message.linkPreview) return;
      if (waiting.length >= QUEUE_MAX) {
        logger.warn({ url }, 'link preview dropped: too many waiting');
        return;
      }
      if (running === 0 && waiting.length === 0) idle = Promise.withResolvers<void>();
      waiting.push({ conversationId: message.conversationId, seq: message.seq, url });
      pump();
    },

    /** Resolves once every preview asked for so far was added or given up. */
    previewsSettled: () => idle.promise,

    /** The sender takes the card off their message, for good. */
    async removePreview(userId: string, input: { conversationId: string; seq: number }): Promise<Message> {
      return log.write(async (tx) => {
        const on = createConversationRepo(tx);
        await requireRole(on, input.conversationId, userId);
        const row = await on.lockMessage(input.conversationId, input.seq);
        if (!row) throw new AppError('NOT_FOUND', 'That message does not exist.');
        if (row.senderId !== userId) throw new AppError('FORBIDDEN', 'Only its sender can remove a link preview.');
        if (row.linkPreview && 'isRemoved' in row.linkPreview) return { result: toMessage(row), events: [] };
        const updated = await on.updateMessage(input.conversationId, input.seq, { linkPreview: { isRemoved: true } });
        return { result: toMessage(updated), events: [messageEvent(updated, 'message_updated')] };
      });
    },
  };
}
