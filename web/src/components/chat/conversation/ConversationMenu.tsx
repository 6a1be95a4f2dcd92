'use client';

import { useTranslation } from 'react-i18next';
import { OptionsMenu, type MenuChoice } from '../OptionsMenu';

interface ConversationMenuProps {
  name: string;
  /** The safety number, when the header has no room for its own button (null: not here). */
  verify: MenuChoice | null;
  onRemove: () => void;
  onBlock: () => void;
  onTimer: () => void;
}

/** The "⋮" button of the conversation header and its menu: disappearing messages, remove or block the friend. */
export function ConversationMenu({ name, verify, onRemove, onBlock, onTimer }: ConversationMenuProps) {
  const { t } = useTranslation();
  return (
    <OptionsMenu
      label={t('chat.conversation.optionsFor', { name })}
      choices={[
        ...(verify ? [verify] : []),
        { label: t('chat.conversation.disappearing'), onSelect: onTimer },
        { label: t('chat.conversation.removeFriend'), onSelect: onRemove },
        { label: t('chat.conversation.block', { name }), danger: true, onSelect: onBlock },
      ]}
    />
  );
}
