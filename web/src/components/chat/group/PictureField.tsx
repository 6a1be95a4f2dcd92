'use client';

import { useTranslation } from 'react-i18next';
import { useId, useRef, useState } from 'react';
import { GroupAvatar } from './GroupAvatar';
import { PictureError, pictureFromFile } from './picture';

interface PictureFieldProps {
  /** The picture as it will be sealed (a data: URL), or null for none. */
  value: string | null;
  /** What the preview shows without a picture. */
  title: string;
  disabled: boolean;
  onChange: (picture: string | null) => void;
}

/** Choose, preview or remove a group's picture; it is made small in this page. */
export function PictureField({ value, title, disabled, onChange }: PictureFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [working, setWorking] = useState(false);
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);

  async function pick(file: File) {
    setWorking(true);
    setError(null);
    try {
      onChange(await pictureFromFile(file));
    } catch (caught) {
      setError(caught instanceof PictureError ? caught.message : t('group.picture.unreadable'));
    } finally {
      setWorking(false);
    }
  }

  return (
    <fieldset className="picture-field" aria-describedby={`${id}-hint ${id}-error`}>
      <legend>{t('group.picture.legend')}</legend>
      <div className="picture-row">
        <GroupAvatar source={title || t('group.new.defaultName')} picture={value} size="lg" />
        <div className="picture-actions">
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            hidden
            tabIndex={-1}
            data-testid="group-picture-input"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void pick(file);
            }}
          />
          <button
            type="button"
            className="button small"
            disabled={disabled || working}
            aria-busy={working}
            onClick={() => input.current?.click()}
          >
            {working ? t('group.picture.preparing') : t(value ? 'group.picture.chooseAnother' : 'group.picture.choose')}
          </button>
          {value ? (
            <button type="button" className="button small ghost" disabled={disabled} onClick={() => onChange(null)}>
              {t('group.picture.remove')}
            </button>
          ) : null}
        </div>
      </div>
      <p id={`${id}-hint`} className="hint">
        {t('group.picture.hint')}
      </p>
      <p id={`${id}-error`} className="feedback feedback-bad" role="alert">
        {error ?? ''}
      </p>
    </fieldset>
  );
}
