'use client';

import { useTranslation } from 'react-i18next';
import { useId, useState } from 'react';
import { Avatar } from '../Avatar';
import type { PublicUser } from '@onionchat/client';

/** More contacts than this: a search field above the list. */
const SEARCH_FROM = 8;

interface MemberPickerProps {
  /** The contacts that may be chosen. */
  candidates: readonly PublicUser[];
  selected: ReadonlySet<string>;
  disabled: boolean;
  legend: string;
  onToggle: (userId: string) => void;
}

/** A list of checkboxes, one per contact, with a search when there are many. */
export function MemberPicker({ candidates, selected, disabled, legend, onToggle }: MemberPickerProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const id = useId();
  const needle = query.trim().toLowerCase();
  const shown = needle ? candidates.filter((user) => user.username.toLowerCase().includes(needle)) : candidates;
  return (
    <fieldset className="member-picker">
      <legend>
        {legend}
        {selected.size > 0 ? (
          <span className="member-picker-count">{t('group.picker.chosen', { count: selected.size })}</span>
        ) : null}
      </legend>
      {candidates.length > SEARCH_FROM ? (
        <div className="member-search">
          <label htmlFor={`${id}-search`} className="visually-hidden">
            {t('group.picker.search')}
          </label>
          <input
            id={`${id}-search`}
            type="search"
            placeholder={t('group.picker.search')}
            autoComplete="off"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </div>
      ) : null}
      {candidates.length === 0 ? (
        <p className="hint">None of your contacts can be added: every one of them is in the group already.</p>
      ) : shown.length === 0 ? (
        <p className="hint">No contact matches “{query.trim()}”.</p>
      ) : (
        <ul className="member-options">
          {shown.map((user) => (
            <li key={user.id}>
              <label className="member-option" data-testid="member-option">
                <input
                  type="checkbox"
                  checked={selected.has(user.id)}
                  disabled={disabled}
                  onChange={() => onToggle(user.id)}
                />
                <Avatar name={user.username} size="sm" />
                <span>{user.username}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
