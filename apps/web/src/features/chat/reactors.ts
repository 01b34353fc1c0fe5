/** Names listed in a reaction's tooltip before "and N others". */
const NAMES_SHOWN = 10;

/** Who reacted, as a sentence: "Ada, Bob and you", "Ada and 12 others". */
export function reactorsInWords(userIds: readonly string[], myId: string, nameOf: (userId: string) => string): string {
  // I come last, as "you".
  const ordered = [...userIds.filter((id) => id !== myId), ...userIds.filter((id) => id === myId)];
  const names = ordered.slice(0, NAMES_SHOWN).map((id) => (id === myId ? 'you' : nameOf(id)));
  const others = ordered.length - names.length;
  if (others > 0) return `${names.join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
