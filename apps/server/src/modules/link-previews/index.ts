export { isBlockedAddress } from './blocked-addresses.ts';
export { LINK_PREVIEW_FAILURES, LinkPreviewError, type LinkPreviewFailure } from './errors.ts';
export { createLinkPreviews, type LinkPreviews } from './link-previews.ts';
export { type LinkPreview, readPageMetadata } from './page-metadata.ts';
export { createSafeFetcher, type FetchedPage, type FetchPage, type SafeFetcherOptions } from './safe-fetch.ts';
