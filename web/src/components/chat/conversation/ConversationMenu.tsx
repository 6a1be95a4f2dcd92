'use client';

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MoreIcon } from '../icons';

interface ConversationMenuProps {
  name: string;
  onRemove: () => void;
  onBlock: () => void;
}

/** The "⋮" button of the conversation header and its menu: remove or block the friend. */
export function ConversationMenu({ name, onRemove, onBlock }: ConversationMenuProps) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  /** Escape closes the menu; the arrow keys move between its items. */
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape' && open) {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    }
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && open && !event.altKey) {
      const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
      const index = items.indexOf(document.activeElement as HTMLButtonElement);
      const next = items[(index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
      event.preventDefault();
      next?.focus();
    }
  }

  return (
    <div className="menu-wrap" onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-expanded={open}
        aria-controls="conversation-menu"
        aria-label={`Options for the conversation with ${name}`}
        onClick={() => setOpen((value) => !value)}
      >
        <MoreIcon />
      </button>
      {open ? (
        <div className="menu" id="conversation-menu" ref={menuRef}>
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              close(false);
              onRemove();
            }}
          >
            Remove friend
          </button>
          <button
            type="button"
            className="menu-item menu-item-danger"
            onClick={() => {
              close(false);
              onBlock();
            }}
          >
            Block {name}
          </button>
        </div>
      ) : null}
    </div>
  );
}
