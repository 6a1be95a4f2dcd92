// The one i18next instance. English is bundled (the static HTML is rendered in it and it
// is every other language's fallback); the other catalogues are separate chunks fetched
// from this site's own origin when someone picks them, so a first load carries one
// language, not six. Nothing is stored: the choice lives in this tab's memory.

import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import { DEFAULT_LANGUAGE, directionOf, type Language } from './languages';

type Catalogue = Record<string, unknown>;

const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Catalogue }>> = {
  es: () => import('./locales/es.json'),
  ru: () => import('./locales/ru.json'),
  zh: () => import('./locales/zh.json'),
  fa: () => import('./locales/fa.json'),
  ar: () => import('./locales/ar.json'),
};

export const i18n: I18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  resources: { en: { translation: en } },
  // Synchronous start, so the first render (and the static export) has its words.
  initAsync: false,
  // React escapes what it renders; escaping here too would show &amp; in names.
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});

/** Fetches a language's catalogue (once) and switches to it. */
export async function switchLanguage(language: Language): Promise<void> {
  if (language !== 'en' && !i18n.hasResourceBundle(language, 'translation')) {
    const catalogue = await loaders[language]();
    i18n.addResourceBundle(language, 'translation', catalogue.default, true, true);
  }
  await i18n.changeLanguage(language);
}

/** `<html lang dir>` follow the language: screen readers pick their voice, the layout mirrors. */
export function applyToDocument(language: Language): void {
  const root = document.documentElement;
  root.lang = language === 'zh' ? 'zh-Hans' : language;
  root.dir = directionOf(language);
}
