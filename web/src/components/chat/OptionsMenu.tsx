'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { MoreIcon } from './icons';

export interface MenuChoice {
  label: string;
  danger?: boolean;
  onSelect: () => void;
}

/** A "⋮" button and its menu (Escape closes it, the arrow keys move between its items). */
export function OptionsMenu({ label, choices }: { label: string; choices: readonly MenuChoice[] }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
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

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    }
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !event.altKey) {
      const items = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
      const index = items.indexOf(document.activeElement as HTMLButtonElement);
      const next = items[(index + (event.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length];
      event.preventDefault();
      next?.focus();
    }
  }

  if (choices.length === 0) return null;
  return (
    <div className="menu-wrap" onKeyDown={onKeyDown}>
      <button
        ref={buttonRef}
        type="button"
        className="icon-button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={label}
        onClick={() => setOpen((value) => !value)}
      >
        <MoreIcon />
      </button>
      {open ? (
        <div className="menu" id={menuId} ref={menuRef}>
          {choices.map((choice) => (
            <button
              key={choice.label}
              type="button"
              className={choice.danger ? 'menu-item menu-item-danger' : 'menu-item'}
              onClick={() => {
                setOpen(false);
                // The item goes away with the menu: a dialog it opens gives focus back to the menu's button.
                buttonRef.current?.focus();
                choice.onSelect();
              }}
            >
              {choice.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
