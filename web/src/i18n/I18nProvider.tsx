'use client';

import { useEffect, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { applyToDocument, i18n, switchLanguage } from './i18n';
import { isLanguage, pickLanguage } from './languages';

/**
 * Gives every component its words. The static HTML is English; after the first render
 * (so hydration matches it) the browser's preferred language is picked, once per load.
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  useEffect(() => {
    const follow = (language: string) => {
      if (isLanguage(language)) applyToDocument(language);
    };
    i18n.on('languageChanged', follow);
    const preferred = pickLanguage(navigator.languages ?? [navigator.language]);
    if (preferred !== i18n.language) void switchLanguage(preferred);
    else follow(preferred);
    return () => i18n.off('languageChanged', follow);
  }, []);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}
