import { describe, expect, it } from 'bun:test';
import type { AppErrorData, AttachmentFacts, AttachmentStatus, Message, UploadGrantReply } from '@gopherchat/api';
import { createUploadQueue, type Upload, UploadFailure, type UploadQueueDeps } from './upload-queue.ts';

class Refusal extends Error {
  constructor(readonly data: AppErrorData) {
    super(data.userMessage);
  }
}

const OFFLINE: AppErrorData = { appCode: 'UNAVAILABLE', userMessage: 'Cannot reach GopherChat right now.' };

/**
 * A promise settled from outside: lets a test hold a step of the upload where
 * it wants it. `reached` resolves once the step is there (`arrive`).
 */
function gate() {
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  const arrival = Promise.withResolvers<void>();
  return { promise, open: resolve, fail: reject, reached: arrival.promise, arrive: () => arrival.resolve() };
}

/** The server and object store, in memory: each step can be made to fail, or held. */
function fakeServer() {
  const grants: string[] = [];
  const stored = new Set<string>();
  const sent: Array<{ clientMessageId: string; attachmentId: string; caption?: string }> = [];
  const discarded: string[] = [];
  const server = {
    grants,
    sent,
    discarded,
    refuseConfirm: undefined as AppErrorData | undefined,
    isStoreDown: false,
    isSendDown: false,
    /** Holds the next post until opened. */
    holdPost: undefined as ReturnType<typeof gate> | undefined,
    progressSeen: [] as number[],
    deps: {
      async requestUpload(input) {
        const attachmentId = `attachment-${grants.length + 1}`;
        grants.push(input.fileName);
        return { attachmentId, url: 'https://store.test/bucket', fields: { key: attachmentId }, expiresAt: '' };
      },
      async post(grant: UploadGrantReply, _file, onProgress, signal) {
        onProgress(0.5);
        if (server.holdPost) {
          const held = server.holdPost;
          server.holdPost = undefined;
          signal.addEventListener('abort', () => held.fail(new DOMException('Cancelled', 'AbortError')));
          held.arrive();
          await held.promise;
        }
        if (server.isStoreDown) throw new UploadFailure('The upload did not get through.');
        onProgress(1);
        stored.add(grant.fields.key as string);
      },
      async confirm(attachmentId) {
        if (server.refuseConfirm) throw new Refusal(server.refuseConfirm);
        if (!stored.has(attachmentId)) throw new Refusal({ appCode: 'NOT_FOUND', userMessage: 'Not arrived.' });
        const status: AttachmentStatus = {
          id: attachmentId,
          state: 'processing',
          placeholder: null,
          hasThumbnail: false,
        };
        const facts: AttachmentFacts = {
          id: attachmentId,
          fileName: 'f',
          contentType: 'image/png',
          byteSize: 1,
          kind: 'image',
          width: 1,
          height: 1,
        };
        return { ...facts, status };
      },
      async discard(attachmentId) {
        discarded.push(attachmentId);
      },
      async send(upload) {
        if (server.isSendDown) throw new Refusal(OFFLINE);
        sent.push({
          clientMessageId: upload.clientMessageId,
          attachmentId: upload.attachmentId,
          caption: upload.caption,
        });
        return { id: `message-${sent.length}`, clientMessageId: upload.clientMessageId } as Message;
      },
    } satisfies Pick<UploadQueueDeps, 'requestUpload' | 'post' | 'confirm' | 'discard' | 'send'>,
  };
  return server;
}

function queueOn(server: ReturnType<typeof fakeServer>) {
  const changes: Upload[][] = [];
  const confirmed: AttachmentStatus[] = [];
  const delivered: Message[] = [];
  let ids = 0;
  const queue = createUploadQueue({
    ...server.deps,
    describe: (error) => (error instanceof Refusal ? error.data : OFFLINE),
    newId: () => `upload-${++ids}`,
    onChange: (uploads) => changes.push([...uploads]),
    onConfirmed: (status) => confirmed.push(status),
    onSent: (message) => delivered.push(message),
  });
  return { queue, changes, confirmed, delivered };
}

const png = (name = 'photo.png', size = 64) => new File([new Uint8Array(size)], name, { type: 'image/png' });
const phasesOf = (changes: Upload[][], id: string) =>
  changes.flatMap((uploads) => uploads.filter((upload) => upload.id === id).map((upload) => upload.phase.name));

describe('upload queue', () => {
  it('uploads, has the file checked, and sends it as a message with its caption, showing each phase', async () => {
    const server = fakeServer();
    const { queue, changes, confirmed, delivered } = queueOn(server);
    await queue.add('conversation-1', [png()], 'Our cat');

    expect(server.sent).toEqual([{ clientMessageId: 'upload-1', attachmentId: 'attachment-1', caption: 'Our cat' }]);
    expect(delivered.map((message) => message.id)).toEqual(['message-1']);
    expect(confirmed.map((status) => status.state)).toEqual(['processing']);
    expect(queue.uploads).toEqual([]);
    expect([...new Set(phasesOf(changes, 'upload-1'))]).toEqual(['waiting', 'uploading', 'checking', 'sending']);
    const progress = changes.flatMap((uploads) =>
      uploads.flatMap((upload) => (upload.phase.name === 'uploading' ? [upload.phase.progress] : [])),
    );
    expect(progress).toEqual([0, 0.5, 1]);
  });

  it('sends several files one after another, in the order they were added, the caption with the first', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    void queue.add('conversation-1', [png('a.png'), png('b.png')], 'Two');
    await queue.add('conversation-1', [png('c.png')]);
    expect(server.grants).toEqual(['a.png', 'b.png', 'c.png']);
    expect(server.sent.map((sent) => sent.caption)).toEqual(['Two', undefined, undefined]);
  });

  it('refuses a file that is too large or of a refused type at once, asking the server nothing', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    const huge = new File([new Uint8Array(1)], 'huge.png', { type: 'image/png' });
    Object.defineProperty(huge, 'size', { value: 26 * 1024 * 1024 });
    await queue.add('conversation-1', [huge, new File(['<html>'], 'page.html', { type: 'text/html' })]);
    expect(server.grants).toEqual([]);
    expect(queue.uploads.map((upload) => upload.phase)).toEqual([
      { name: 'failed', reason: '“huge.png” is too large: files can be at most 25 MB.', canRetry: false },
      {
        name: 'failed',
        reason: '“page.html” cannot be shared: only images, PDF, ZIP, text, MP3, Ogg and MP4 files can.',
        canRetry: false,
      },
    ]);
    await queue.retry('upload-1');
    expect(server.grants).toEqual([]);
    queue.dismiss('upload-1');
    queue.dismiss('upload-2');
    expect(queue.uploads).toEqual([]);
  });

  it('cancels an upload under way: nothing is sent, and the next file goes on', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    const held = gate();
    server.holdPost = held;
    const done = queue.add('conversation-1', [png('slow.png'), png('next.png')]);
    await held.reached;
    expect(queue.uploads[0]?.phase).toEqual({ name: 'uploading', progress: 0.5 });
    queue.cancel('upload-1');
    await done;
    expect(server.sent.map((sent) => sent.clientMessageId)).toEqual(['upload-2']);
    expect(queue.uploads).toEqual([]);
  });

  it('keeps a failed upload with the reason; a retry starts it over with a new grant', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    server.isStoreDown = true;
    await queue.add('conversation-1', [png()]);
    expect(queue.uploads[0]?.phase).toEqual({
      name: 'failed',
      reason: 'The upload did not get through.',
      canRetry: true,
    });

    server.isStoreDown = false;
    await queue.retry('upload-1');
    expect(server.grants).toHaveLength(2);
    expect(server.sent.map((sent) => sent.attachmentId)).toEqual(['attachment-2']);
  });

  it('after a failed send, a retry sends the checked file again without uploading it again', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    server.isSendDown = true;
    await queue.add('conversation-1', [png()], 'Hello');
    expect(queue.uploads[0]).toMatchObject({
      confirmedId: 'attachment-1',
      phase: { name: 'failed', reason: OFFLINE.userMessage, canRetry: true },
    });

    server.isSendDown = false;
    await queue.retry('upload-1');
    expect(server.grants).toHaveLength(1);
    expect(server.sent).toEqual([{ clientMessageId: 'upload-1', attachmentId: 'attachment-1', caption: 'Hello' }]);
  });

  it('tells the server to drop a checked file whose failed send is dismissed', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    server.isSendDown = true;
    await queue.add('conversation-1', [png(), png('second.png')]);
    queue.dismiss('upload-1');
    expect(server.discarded).toEqual(['attachment-1']);
    expect(queue.uploads.map((upload) => upload.id)).toEqual(['upload-2']);
  });

  it('offers no retry when the server refused the file itself, and says why in its words', async () => {
    const server = fakeServer();
    const { queue } = queueOn(server);
    server.refuseConfirm = { appCode: 'INVALID_INPUT', userMessage: 'That file is not really of the type image/png.' };
    await queue.add('conversation-1', [png()]);
    expect(queue.uploads[0]?.phase).toEqual({
      name: 'failed',
      reason: 'That file is not really of the type image/png.',
      canRetry: false,
    });
    expect(server.sent).toEqual([]);
  });

  it('cannot cancel once the server is checking or sending (the message may already be on its way)', async () => {
    const server = fakeServer();
    const held = gate();
    const send = server.deps.send;
    server.deps.send = async (upload) => {
      held.arrive();
      await held.promise;
      return send(upload);
    };
    const { queue } = queueOn(server);
    const done = queue.add('conversation-1', [png()]);
    await held.reached;
    expect(queue.uploads[0]?.phase.name).toBe('sending');
    queue.cancel('upload-1');
    held.open();
    await done;
    expect(server.sent).toHaveLength(1);
  });
});
