import type {
  AppErrorData,
  AttachmentFacts,
  AttachmentStatus,
  Message,
  TRequestUploadInput,
  UploadGrantReply,
} from '@gopherchat/api';
import { checkFile } from './file-check.ts';

/**
 * Where one upload is:
 *
 * ```
 * waiting ─▶ uploading ─▶ checking ─▶ sending ─▶ (sent: gone from the list)
 *    │           │            │           │
 *    └───────────┴────────────┴───────────┴──▶ failed ── retry ─▶ waiting
 * ```
 *
 * `waiting`: in line behind another file. `uploading`: asking for a grant,
 * then the bytes going to the object store (`progress` from 0 to 1).
 * `checking`: the server looks at what arrived. `sending`: the message that
 * carries it. Cancelling while waiting or uploading drops it; a failed one is
 * retried or dismissed. A file refused here never leaves `failed`.
 */
export type UploadPhase =
  | { name: 'waiting' }
  | { name: 'uploading'; progress: number }
  | { name: 'checking' }
  | { name: 'sending' }
  | { name: 'failed'; reason: string; canRetry: boolean };

/** A file on its way into a conversation, as its message. */
export interface Upload {
  /** Chosen here, and the message's client id: sending again never makes a second message. */
  id: string;
  conversationId: string;
  fileName: string;
  byteSize: number;
  caption: string | undefined;
  /** Set once the server has checked the file: a retry then only sends the message again. */
  confirmedId: string | undefined;
  phase: UploadPhase;
}

/** A refusal worded for people, from something other than the API (the object store, the network). */
export class UploadFailure extends Error {}

export interface UploadQueueDeps {
  requestUpload(input: TRequestUploadInput, signal: AbortSignal): Promise<UploadGrantReply>;
  /** Sends the file to the object store with the grant, telling how far it got (0 to 1). */
  post(grant: UploadGrantReply, file: Blob, onProgress: (progress: number) => void, signal: AbortSignal): Promise<void>;
  confirm(attachmentId: string): Promise<AttachmentFacts & { status: AttachmentStatus }>;
  /** Drops a checked file that will not be sent after all, so it stops counting against the quota. */
  discard(attachmentId: string): Promise<void>;
  send(upload: {
    conversationId: string;
    clientMessageId: string;
    attachmentId: string;
    caption?: string;
  }): Promise<Message>;
  /** The typed error behind a failed API call. */
  describe(error: unknown): AppErrorData;
  newId(): string;
  onChange(uploads: readonly Upload[]): void;
  onConfirmed(status: AttachmentStatus): void;
  onSent(message: Message): void;
}

/**
 * Files being shared, uploaded one at a time in the order they were added,
 * so their messages arrive in that order too. Each goes through its phases
 * (`UploadPhase`); a failure stops only that file, and the line moves on.
 */
export function createUploadQueue(deps: UploadQueueDeps) {
  let uploads: Upload[] = [];
  /** What each upload waiting or under way sends: the file, and what the server is told of it. */
  const files = new Map<string, { file: Blob; request: TRequestUploadInput }>();
  let current: { id: string; abort: AbortController } | undefined;

  function changed() {
    deps.onChange(uploads);
  }

  function update(id: string, change: Partial<Upload>) {
    uploads = uploads.map((upload) => (upload.id === id ? { ...upload, ...change } : upload));
    changed();
  }

  function remove(id: string) {
    uploads = uploads.filter((upload) => upload.id !== id);
    files.delete(id);
    changed();
  }

  const find = (id: string) => uploads.find((upload) => upload.id === id);

  async function run(
    upload: Upload,
    { file, request }: { file: Blob; request: TRequestUploadInput },
    signal: AbortSignal,
  ) {
    const { id } = upload;
    let attachmentId = upload.confirmedId;
    let stage: 'upload' | 'check' | 'send' = 'upload';
    try {
      if (!attachmentId) {
        update(id, { phase: { name: 'uploading', progress: 0 } });
        const grant = await deps.requestUpload(request, signal);
        if (signal.aborted) return;
        await deps.post(
          grant,
          file,
          (progress) => {
            if (!signal.aborted) update(id, { phase: { name: 'uploading', progress } });
          },
          signal,
        );
        if (signal.aborted) return;
        stage = 'check';
        update(id, { phase: { name: 'checking' } });
        const facts = await deps.confirm(grant.attachmentId);
        attachmentId = facts.id;
        update(id, { confirmedId: attachmentId });
        deps.onConfirmed(facts.status);
      }
      stage = 'send';
      update(id, { phase: { name: 'sending' } });
      const message = await deps.send({
        conversationId: upload.conversationId,
        clientMessageId: id,
        attachmentId,
        ...(upload.caption ? { caption: upload.caption } : {}),
      });
      remove(id);
      deps.onSent(message);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof UploadFailure) {
        update(id, { phase: { name: 'failed', reason: error.message, canRetry: true } });
        return;
      }
      const { appCode, userMessage } = deps.describe(error);
      // The server looked at the file and refused it: sending the same bytes again cannot help.
      const isFileRefused = stage === 'check' && appCode === 'INVALID_INPUT';
      update(id, { phase: { name: 'failed', reason: userMessage, canRetry: !isFileRefused } });
    }
  }

  let isDraining = false;
  /** The drain under way, or the last one: what `add` and `retry` resolve with. */
  let drained: Promise<void> = Promise.resolve();

  /** Works through the line, unless that is under way. Resolves once nothing waits. */
  function drain(): Promise<void> {
    if (isDraining) return drained;
    // Set before the first upload is awaited and cleared with the last check for more: nothing falls in between.
    isDraining = true;
    drained = runWaiting();
    return drained;
  }

  async function runWaiting() {
    try {
      for (let next = nextWaiting(); next; next = nextWaiting()) {
        const sending = files.get(next.id);
        if (!sending) {
          remove(next.id);
          continue;
        }
        current = { id: next.id, abort: new AbortController() };
        await run(next, sending, current.abort.signal);
        current = undefined;
      }
    } finally {
      isDraining = false;
    }
  }

  const nextWaiting = () => uploads.find((upload) => upload.phase.name === 'waiting');

  return {
    get uploads(): readonly Upload[] {
      return uploads;
    },

    /**
     * Adds files to share in a conversation, each as its own message; the
     * caption goes with the first. Files that cannot be shared are listed as
     * failed at once, with the reason, and nothing of them is sent.
     * Resolves once the line is worked through.
     */
    add(conversationId: string, added: readonly File[], caption?: string): Promise<void> {
      added.forEach((file, index) => {
        const check = checkFile(file);
        const id = deps.newId();
        uploads = [
          ...uploads,
          {
            id,
            conversationId,
            fileName: check.isAllowed ? check.fileName : file.name,
            byteSize: file.size,
            caption: index === 0 ? caption : undefined,
            confirmedId: undefined,
            phase: check.isAllowed ? { name: 'waiting' } : { name: 'failed', reason: check.reason, canRetry: false },
          },
        ];
        if (check.isAllowed) {
          const { fileName, contentType, byteSize } = check;
          files.set(id, { file, request: { fileName, contentType, byteSize } });
        }
      });
      changed();
      return drain();
    },

    /** Stops an upload that has not reached the server's check; its message is never sent. */
    cancel(id: string) {
      const phase = find(id)?.phase.name;
      if (phase !== 'waiting' && phase !== 'uploading') return;
      if (current?.id === id) current.abort.abort();
      remove(id);
    },

    /** Puts a failed upload back in line; resolves once the line is worked through. */
    retry(id: string): Promise<void> {
      const upload = find(id);
      if (upload?.phase.name !== 'failed' || !upload.phase.canRetry) return drained;
      update(id, { phase: { name: 'waiting' } });
      return drain();
    },

    /** Forgets a failed upload, and the server its file if it was checked (else the server collects it a day later). */
    dismiss(id: string) {
      const upload = find(id);
      if (upload?.phase.name !== 'failed') return;
      remove(id);
      if (upload.confirmedId) void deps.discard(upload.confirmedId).catch(() => {});
    },

    dispose() {
      current?.abort.abort();
    },
  };
}

export type UploadQueue = ReturnType<typeof createUploadQueue>;
