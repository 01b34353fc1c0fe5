/**
 * Where uploaded files live: an S3-compatible object store. The app server
 * never carries an upload's bytes: it grants the client a presigned POST,
 * checks what arrived, and hands readers short-lived presigned GETs.
 */
export interface BlobStore {
  /**
   * A presigned POST policy for exactly `key`, exactly `contentType`, at
   * most `maxBytes`, valid for `expiresInSeconds`. The client sends `fields`
   * and then the file as multipart form data to `url`.
   */
  grantUpload(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<UploadGrant>;
  /**
   * A presigned GET whose response carries `contentType` and a
   * Content-Disposition with `fileName`: `inline` for what a browser may
   * show or play (checked images, audio, video), `attachment` for
   * everything else.
   */
  downloadUrl(input: {
    key: string;
    fileName: string;
    contentType: string;
    disposition: 'inline' | 'attachment';
    expiresInSeconds: number;
  }): Promise<string>;
  /** The object's size, or undefined when there is no such object. */
  stat(key: string): Promise<{ byteSize: number } | undefined>;
  /** The object's bytes, or the first `firstBytes` of them (to check a file's magic number). */
  read(key: string, options?: { firstBytes?: number }): Promise<Uint8Array>;
  write(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /**
   * Copies the object at `fromKey` to `toKey`, with its type, inside the
   * store (the bytes do not pass through this server): false when there is
   * no object at `fromKey`.
   */
  copy(fromKey: string, toKey: string): Promise<boolean>;
  /** Deleting what is not there is not an error. */
  delete(key: string): Promise<void>;
}

export interface UploadGrant {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}
