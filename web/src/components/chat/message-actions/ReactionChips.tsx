'use client';

import type { ChatItem } from '@onionchat/client';
import { useTranslation } from 'react-i18next';
import { actionable, useMessageActions } from './MessageActionsContext';

/** The reactions under a message: each emoji with how many, pressed when one is this account's. */
export function ReactionChips({ item }: { item: ChatItem }) {
  const { t } = useTranslation();
  const actions = useMessageActions();
  const reactions = item.reactions ?? [];
  if (reactions.length === 0) return null;
  const usable = actions !== null && actionable(item);
  return (
    <ul className="msg-reactions" aria-label={t('chat.actions.reactions')} data-testid="reactions">
      {reactions.map((reaction) => {
        const who = reaction.userIds.map((id) => actions?.nameOf(id) ?? t('chat.actions.someone')).join(', ');
        const values = { emoji: reaction.emoji, n: reaction.userIds.length, who };
        const label = !usable
          ? t('chat.actions.reactionFrom', values)
          : reaction.mine
            ? t('chat.actions.reactionTakeBack', values)
            : t('chat.actions.reactionSame', values);
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              className={reaction.mine ? 'msg-reaction msg-reaction-mine' : 'msg-reaction'}
              aria-pressed={reaction.mine}
              aria-label={label}
              title={who}
              disabled={!usable}
              data-testid="reaction"
              data-emoji={reaction.emoji}
              onClick={() => actions?.react(item, reaction.emoji)}
            >
              <span aria-hidden="true">{reaction.emoji}</span>
              <span aria-hidden="true" className="msg-reaction-count">
                {reaction.userIds.length}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
