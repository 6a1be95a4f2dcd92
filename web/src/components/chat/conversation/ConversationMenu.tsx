'use client';

import { OptionsMenu } from '../OptionsMenu';

interface ConversationMenuProps {
  name: string;
  onRemove: () => void;
  onBlock: () => void;
  onTimer: () => void;
}

/** The "⋮" button of the conversation header and its menu: disappearing messages, remove or block the friend. */
export function ConversationMenu({ name, onRemove, onBlock, onTimer }: ConversationMenuProps) {
  return (
    <OptionsMenu
      label={`Options for the conversation with ${name}`}
      choices={[
        { label: 'Disappearing messages', onSelect: onTimer },
        { label: 'Remove friend', onSelect: onRemove },
        { label: `Block ${name}`, danger: true, onSelect: onBlock },
      ]}
    />
  );
}
