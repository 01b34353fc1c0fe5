import { EVERYONE_MENTIONS, type EveryoneMention } from '@gopherchat/api';
import { Avatar } from '../../lib/ui/avatar.tsx';
import { createTokenCompletion } from '../../lib/ui/token-completion.tsx';
import { type MentionCandidate, type MentionToken, mentionBeforeCaret, mentionCandidates } from './mention-token.ts';

const EVERYONE_IN_WORDS: Record<EveryoneMention, string> = {
  all: 'Everyone in this group',
  here: 'Everyone in this group who is online',
};

/**
 * `@name` completion for the composer: as `@ad` is typed, the conversation's
 * members whose username or name begin so are offered, and in a group
 * `@all` and `@here`; the one picked goes in as `@username `.
 */
export function createMentionCompletion(deps: {
  id: string;
  /** Who can be mentioned here now: the conversation's members but me. */
  people: () => readonly MentionCandidate[];
  isGroup: () => boolean;
  avatarOf: (userId: string) => string | null | undefined;
  /** Puts `text` in place of the text between `start` and `end`. */
  replace: (start: number, end: number, text: string) => void;
}) {
  return createTokenCompletion<MentionToken, MentionCandidate | EveryoneMention>({
    id: deps.id,
    label: 'People to mention',
    testId: 'mention-suggestions',
    tokenBefore: mentionBeforeCaret,
    suggest: (token) => [
      ...mentionCandidates(deps.people(), token.name),
      ...(deps.isGroup() ? EVERYONE_MENTIONS.filter((everyone) => everyone.startsWith(token.name.toLowerCase())) : []),
    ],
    replace: (start, end, picked) =>
      deps.replace(start, end, `@${typeof picked === 'string' ? picked : picked.username} `),
    renderItem: (picked) =>
      typeof picked === 'string' ? (
        <>
          <span class="font-semibold">@{picked}</span>
          <span class="truncate text-fg-muted">{EVERYONE_IN_WORDS[picked]}</span>
        </>
      ) : (
        <>
          <Avatar
            name={picked.displayName}
            avatarKey={deps.avatarOf(picked.userId)}
            class="h-6 w-6 flex-none bg-line-strong text-[0.6rem] text-fg"
          />
          <span class="truncate font-medium">{picked.displayName}</span>
          <span class="truncate text-fg-muted">@{picked.username}</span>
        </>
      ),
  });
}
