import { ATTACHMENT_LINKS_MAX, type AttachmentLinks } from '@gopherchat/api';
import { createIdBatcher } from '../../lib/id-batcher.ts';

/** Files wanted within this long of each other share one request: a page of messages asks once. */
export const LINK_BATCH_MS = 15;
/** Links are renewed this long before they lapse, so what is on screen never points at a dead one. */
export const LINK_RENEW_AHEAD_MS = 30_000;
/**
 * Links are never renewed sooner than this after they came: with this
 * browser's clock far ahead of the server's, they would otherwise seem to
 * lapse the moment they arrive, and be asked for again and again.
 */
export const LINK_MIN_RENEW_MS = 60_000;
/** After a failed request, the files still on screen are asked for again this much later. */
export const LINK_RETRY_MS = 5_000;

/** What is known of one file's links. */
export interface LinkEntry {
  /** The newest links the server gave (kept while newer ones are asked for). */
  links: AttachmentLinks | undefined;
  /** The server left the file out: deleted, refused in processing, or not for me to see. */
  isMissing: boolean;
}

export interface LinkCacheDeps {
  fetchLinks(attachmentIds: string[]): Promise<AttachmentLinks[]>;
  now(): number;
  /** Runs `run` after `ms` (the owner's timers); `run` may return the request it started (`Scheduler.setTimer`). */
  later(ms: number, run: () => unknown): void;
  onChange(attachmentId: string, entry: LinkEntry): void;
}

/**
 * Short-lived download links of the files on screen. A file is watched while
 * it is shown: its links are asked for (with the others wanted at the same
 * moment, in one request), renewed before they lapse, and asked for again
 * when the file's processing moves on. Files no longer watched are left to
 * lapse; shown again, they are asked for again.
 */
export function createLinkCache(deps: LinkCacheDeps) {
  const watchers = new Map<string, number>();
  /** When each file's links are due again: when they lapse, after a failed request, or now (never asked, changed). */
  const dueAt = new Map<string, number>();
  const requests = createIdBatcher({
    max: ATTACHMENT_LINKS_MAX,
    schedule: (flush) => deps.later(LINK_BATCH_MS, flush),
    run: request,
  });
  /** Files whose status changed while their links were being asked for: the answer may predate the change. */
  const changedInFlight = new Set<string>();

  const isWatched = (id: string) => (watchers.get(id) ?? 0) > 0;

  /** Asks for a file's links with the next request, unless they are fresh or already asked for. */
  function ask(id: string) {
    if (deps.now() < (dueAt.get(id) ?? 0)) return;
    requests.add([id]);
  }

  /** Asks again when due, if it is still watched by then. */
  function askWhenDue(id: string) {
    const at = dueAt.get(id) ?? 0;
    if (!Number.isFinite(at)) return;
    deps.later(Math.max(0, at - deps.now()), () => {
      if (isWatched(id)) ask(id);
    });
  }

  async function request(ids: string[]) {
    let answered: AttachmentLinks[] | undefined;
    try {
      answered = await deps.fetchLinks(ids);
    } catch {
      answered = undefined;
    }
    const byId = new Map(answered?.map((links) => [links.id, links]));
    for (const id of ids) {
      const links = byId.get(id);
      if (!answered) dueAt.set(id, deps.now() + LINK_RETRY_MS);
      else if (links) {
        const now = deps.now();
        dueAt.set(id, Math.max(now + LINK_MIN_RENEW_MS, Date.parse(links.expiresAt) - LINK_RENEW_AHEAD_MS));
        deps.onChange(id, { links, isMissing: false });
      } else {
        // Gone for good, unless its status changes (see `statusChanged`).
        dueAt.set(id, Number.POSITIVE_INFINITY);
        deps.onChange(id, { links: undefined, isMissing: true });
      }
      if (changedInFlight.delete(id)) dueAt.set(id, 0);
      if (isWatched(id)) askWhenDue(id);
    }
  }

  return {
    /** Links of a file being shown, kept fresh until the returned function is called. */
    watch(attachmentId: string): () => void {
      watchers.set(attachmentId, (watchers.get(attachmentId) ?? 0) + 1);
      ask(attachmentId);
      return () => {
        const left = (watchers.get(attachmentId) ?? 1) - 1;
        if (left > 0) watchers.set(attachmentId, left);
        else watchers.delete(attachmentId);
      };
    },

    /** The file was processed (or failed): what its links say has changed. */
    statusChanged(attachmentId: string) {
      if (requests.isInFlight(attachmentId)) changedInFlight.add(attachmentId);
      dueAt.set(attachmentId, 0);
      if (isWatched(attachmentId)) ask(attachmentId);
    },
  };
}
