'use client';

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
  return (
    <OptionsMenu
      label={`Options for the conversation with ${name}`}
      choices={[
        ...(verify ? [verify] : []),
        { label: 'Disappearing messages', onSelect: onTimer },
        { label: 'Remove friend', onSelect: onRemove },
        { label: `Block ${name}`, danger: true, onSelect: onBlock },
      ]}
    />
  );
}
