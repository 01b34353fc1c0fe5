import type { RawEmoji } from './emoji-index.ts';

/**
 * The newest Emoji version this device draws, tested on the first simple
 * emoji of each version, newest first: drawn on a canvas, a known emoji has
 * colour, an unknown one is a grey box (or nothing). A device that draws no
 * emoji in colour at all is not judged: every emoji stays offered.
 */
export function drawableEmojiVersion(data: readonly RawEmoji[]): number {
  const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  const versions = [...new Set(data.map((emoji) => emoji.version))].sort((a, b) => b - a);
  const newest = versions[0] ?? 0;
  if (!context) return newest;
  const size = 20;
  context.canvas.width = size;
  context.canvas.height = size;
  context.font = `${size - 4}px sans-serif`;
  context.textBaseline = 'top';
  const isDrawnInColour = (emoji: string) => {
    context.clearRect(0, 0, size, size);
    context.fillText(emoji, 0, 0);
    const pixels = context.getImageData(0, 0, size, size).data;
    for (let at = 0; at < pixels.length; at += 4) {
      const [red = 0, green = 0, blue = 0, alpha = 0] = pixels.subarray(at, at + 4);
      if (alpha > 0 && Math.max(red, green, blue) - Math.min(red, green, blue) > 40) return true;
    }
    return false;
  };
  for (const version of versions) {
    const sample = data.find((emoji) => emoji.version === version && !emoji.emoji.includes('\u200d'));
    if (sample && isDrawnInColour(sample.emoji)) return version;
  }
  return newest;
}
