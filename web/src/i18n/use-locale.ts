'use client';

import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, localeOf } from './languages';

/** The BCP 47 locale for dates and numbers (Intl), following the interface language. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return localeOf(isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE);
}
