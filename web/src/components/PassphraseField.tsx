'use client';

import { useTranslation } from 'react-i18next';
import { Field, type Feedback } from './ui';

/** For passphrases: typed exactly, never capitalized, corrected or spell-checked. */
const VERBATIM_INPUT = {
  autoCapitalize: 'none',
  autoCorrect: 'off',
  spellCheck: false,
  required: true,
} as const;

interface PassphraseFieldProps {
  id: string;
  label: string;
  hint?: string;
  /** "current-password" to unlock, "new-password" when choosing one. */
  autoComplete: 'current-password' | 'new-password';
  /** Shown as plain text (the form's "Show passphrase" box is ticked). */
  visible: boolean;
  value: string;
  readOnly: boolean;
  onChange: (value: string) => void;
  onBlur?: () => void;
  invalid: boolean;
  feedback?: Feedback | null;
}

/** A passphrase input: hidden unless the form shows passphrases, typed verbatim. */
export function PassphraseField({
  id,
  label,
  hint,
  autoComplete,
  visible,
  value,
  readOnly,
  onChange,
  onBlur,
  invalid,
  feedback,
}: PassphraseFieldProps) {
  return (
    <Field
      id={id}
      label={label}
      hint={hint}
      type={visible ? 'text' : 'password'}
      autoComplete={autoComplete}
      {...VERBATIM_INPUT}
      value={value}
      readOnly={readOnly}
      onChange={(event) => onChange(event.target.value)}
      onBlur={onBlur}
      invalid={invalid}
      feedback={feedback}
    />
  );
}

/** Shows or hides every passphrase field of a form. */
export function ShowPassphrase({
  checked,
  onChange,
  label,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="check">
      <input
        type="checkbox"
        id="show-passphrase"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span>{label ?? t('passphrase.show')}</span>
    </label>
  );
}
