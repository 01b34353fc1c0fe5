// Files handed to the page other than through the file picker: pasted, or dragged in.

/**
 * The files pasted, if what was pasted is files only: an image copied from
 * a browser or a screenshot tool. Text copied with a picture of itself (as
 * from a word processor) is pasted as text.
 */
export function pastedFiles(clipboard: Pick<DataTransfer, 'types' | 'files'> | null): File[] {
  if (!clipboard || clipboard.types.includes('text/plain')) return [];
  return [...clipboard.files];
}

/** Whether something dragged over the page is files (and not text or a link), before it is dropped. */
export const isCarryingFiles = (dragged: Pick<DataTransfer, 'types'> | null) =>
  dragged?.types.includes('Files') ?? false;
