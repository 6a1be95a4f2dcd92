'use client';

import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage } from './i18n';
import { LANGUAGES, isLanguage } from './languages';

/** A plain select: every browser and screen reader knows it; each language is named in itself. */
export function LanguageSwitcher({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <span className={className ? `language-switcher ${className}` : 'language-switcher'}>
      <label htmlFor={id} className="visually-hidden">
        {t('common.language')}
      </label>
      <select
        id={id}
        data-testid="language-switcher"
        value={i18n.language}
        onChange={(event) => {
          const next = event.target.value;
          if (isLanguage(next)) void chooseLanguage(next);
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language.code} value={language.code} lang={language.code === 'zh' ? 'zh-Hans' : language.code}>
            {language.name}
          </option>
        ))}
      </select>
    </span>
  );
}
