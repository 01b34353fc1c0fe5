/**
 * What one client frame may be before anything parses it. tRPC parses a
 * frame, re-serialises nothing, and hands inputs to zod; the transport tags
 * subscription inputs and so parses and re-serialises them itself. Both
 * recurse with the frame's nesting, so a frame of ~100 kB of `[[[…]]]`
 * overflowed the stack outside any `try` and ended the process. Frames are
 * bounded here, by size and by depth, with a scan that does not recurse.
 */

/**
 * Bytes of one WebSocket frame. A send of the longest message is about
 * 25 kB of JSON at worst (4 000 characters, each escaped to six bytes), so a
 * full batch (`CALLS_PER_BATCH_MAX`, in @gopherchat/api) of them still fits.
 */
export const FRAME_MAX_BYTES = 2 * 1024 * 1024;

/** Nesting of arrays and objects in one frame; the deepest legitimate input is a handful of levels. */
export const FRAME_MAX_DEPTH = 32;

/**
 * Whether `text`, read as JSON, nests arrays and objects deeper than
 * `maxDepth`. Brackets inside strings do not count; the text need not be
 * valid JSON (the parser judges that afterwards).
 */
export function isNestedDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let isInString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isInString) {
      if (code === 0x5c /* \ */) index++;
      else if (code === 0x22 /* " */) isInString = false;
    } else if (code === 0x22) {
      isInString = true;
    } else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}
