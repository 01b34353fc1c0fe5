import { S3Error } from './s3-error.ts';

/** A part's header section at most: a browser's is a few hundred bytes. */
const MAX_PART_HEADER_BYTES = 8 * 1024;
/** What may come before the first boundary (RFC 2046's preamble); browsers send none. */
const MAX_PREAMBLE_BYTES = 1024;

export interface PartHeaders {
  /** The form field's name, as sent. */
  name: string;
  fileName: string | undefined;
}

const malformed = (message: string) => new S3Error('MalformedPOSTRequest', message);

/** The boundary of a multipart/form-data Content-Type, or undefined if it is not one. */
export function formDataBoundary(contentType: string | null): string | undefined {
  const match = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;.*)?$/i.exec(
    contentType ?? '',
  );
  const boundary = match?.[1] ?? match?.[2];
  // RFC 2046's bchars, so the boundary cannot smuggle anything into a search.
  return boundary && /^[0-9A-Za-z'()+_,\-./:=? ]+$/.test(boundary) ? boundary : undefined;
}

function parsePartHeaders(section: string): PartHeaders {
  let disposition: string | undefined;
  for (const line of section.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed('A part header is malformed.');
    if (line.slice(0, colon).trim().toLowerCase() === 'content-disposition') disposition = line.slice(colon + 1).trim();
  }
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw malformed('A part is not form data.');
  const parameters = new Map<string, string>();
  for (const match of disposition.matchAll(/;\s*([A-Za-z0-9*_-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))/g)) {
    parameters.set((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? '');
  }
  const name = parameters.get('name');
  if (name === undefined) throw malformed('A part has no name.');
  return { name, fileName: parameters.get('filename') };
}

/**
 * Reads multipart/form-data as it arrives, a part at a time, so that a
 * browser upload's fields (which come first) can be checked before any of
 * its file is taken, and the file can go to disk without being held in
 * memory. Every size it keeps is bounded; a body that ends early is an
 * IncompleteBody error, one that is not multipart a MalformedPOSTRequest.
 */
/** What the reader needs of a stream's reader. */
interface ChunkReader {
  read(): Promise<{ done: true; value?: Uint8Array } | { done: false; value: Uint8Array }>;
  cancel(): Promise<void>;
}

export class MultipartReader {
  readonly #reader: ChunkReader;
  /** CRLF "--" boundary: what ends a part's body. */
  readonly #delimiter: Buffer;
  // A CRLF first, so that the first boundary line is found like every other.
  #buffer: Buffer = Buffer.from('\r\n');
  #isEnded = false;
  #state: 'before-first' | 'at-delimiter' | 'in-body' | 'done' = 'before-first';

  constructor(body: ReadableStream<Uint8Array>, boundary: string) {
    this.#reader = body.getReader();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** Reads more of the body into the buffer; false when it has ended. */
  async #fill(): Promise<boolean> {
    if (this.#isEnded) return false;
    let chunk: Awaited<ReturnType<ChunkReader['read']>>;
    try {
      chunk = await this.#reader.read();
    } catch {
      throw new S3Error('IncompleteBody', 'The upload was cut off.');
    }
    if (chunk.done) {
      this.#isEnded = true;
      return false;
    }
    this.#buffer = Buffer.concat([this.#buffer, chunk.value]);
    return true;
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) {
      if (!(await this.#fill())) throw new S3Error('IncompleteBody', 'The upload was cut off.');
    }
  }

  /** The next part's headers, or undefined after the last part. Whatever was left of the part before is skipped. */
  async nextPart(): Promise<PartHeaders | undefined> {
    if (this.#state === 'done') return undefined;
    if (this.#state === 'in-body') for await (const _ of this.partBody());
    if (this.#state === 'before-first') {
      for (;;) {
        const at = this.#buffer.indexOf(this.#delimiter);
        if (at >= 0) {
          this.#buffer = this.#buffer.subarray(at);
          break;
        }
        if (this.#buffer.length > MAX_PREAMBLE_BYTES + this.#delimiter.length) throw malformed('No boundary found.');
        if (!(await this.#fill())) throw malformed('No boundary found.');
      }
    }
    // At a delimiter: "--" after it ends the form; otherwise optional blanks, CRLF, and a part.
    await this.#need(this.#delimiter.length + 2);
    let at = this.#delimiter.length;
    if (this.#buffer[at] === 0x2d && this.#buffer[at + 1] === 0x2d) {
      this.#state = 'done';
      return undefined;
    }
    for (;;) {
      await this.#need(at + 2);
      const byte = this.#buffer[at];
      if (byte !== 0x20 && byte !== 0x09) break;
      if (at > this.#delimiter.length + 64) throw malformed('A boundary line is malformed.');
      at++;
    }
    if (this.#buffer[at] !== 0x0d || this.#buffer[at + 1] !== 0x0a) throw malformed('A boundary line is malformed.');
    this.#buffer = this.#buffer.subarray(at + 2);

    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        if (end > MAX_PART_HEADER_BYTES) break;
        const section = new TextDecoder('utf-8', { fatal: false }).decode(this.#buffer.subarray(0, end));
        this.#buffer = this.#buffer.subarray(end + 4);
        this.#state = 'in-body';
        return parsePartHeaders(section);
      }
      if (this.#buffer.length > MAX_PART_HEADER_BYTES) break;
      await this.#need(this.#buffer.length + 1);
    }
    throw malformed('The headers of a part are too large.');
  }

  /** The current part's body as it arrives, up to the next boundary. */
  async *partBody(): AsyncGenerator<Uint8Array> {
    if (this.#state !== 'in-body') return;
    // Keep what could be the start of a delimiter cut across two reads.
    const keep = this.#delimiter.length - 1;
    for (;;) {
      const at = this.#buffer.indexOf(this.#delimiter);
      if (at >= 0) {
        const last = this.#buffer.subarray(0, at);
        this.#buffer = this.#buffer.subarray(at);
        this.#state = 'at-delimiter';
        if (last.length > 0) yield last;
        return;
      }
      if (this.#buffer.length > keep) {
        const ready = this.#buffer.subarray(0, this.#buffer.length - keep);
        this.#buffer = this.#buffer.subarray(this.#buffer.length - keep);
        yield ready;
      }
      if (!(await this.#fill())) throw new S3Error('IncompleteBody', 'The upload was cut off.');
    }
  }

  /** The current part's body as text, if it is at most `maxBytes`. */
  async partText(maxBytes: number): Promise<string> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of this.partBody()) {
      size += chunk.length;
      if (size > maxBytes) throw malformed('A form field is too large.');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Stops reading: what is left of the body is not wanted. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}
