// The one i18next instance. English is bundled (the static HTML is rendered in it and it
// is every other language's fallback); the other catalogues are separate chunks fetched
// from this site's own origin when someone picks them, so a first load carries one
// language, not six. Nothing is stored: the choice lives in this tab's memory.

import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { CORE_NAMESPACE, installCoreSpeaker } from './core-speaker';
import en from './locales/en.json';
import { DEFAULT_LANGUAGE, directionOf, isLanguage, type Language } from './languages';

type Catalogue = Record<string, unknown>;
type Translated = Exclude<Language, 'en'>;

const loaders: Record<Translated, () => Promise<{ default: Catalogue }>> = {
  es: () => import('./locales/es.json'),
  ru: () => import('./locales/ru.json'),
  zh: () => import('./locales/zh.json'),
  fa: () => import('./locales/fa.json'),
  ar: () => import('./locales/ar.json'),
};

/** The client core's sentences (see core-speaker.ts), one chunk per language. */
const coreLoaders: Record<Translated, () => Promise<{ default: Catalogue }>> = {
  es: () => import('./locales/core/es'),
  ru: () => import('./locales/core/ru'),
  zh: () => import('./locales/core/zh'),
  fa: () => import('./locales/core/fa'),
  ar: () => import('./locales/core/ar'),
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
installCoreSpeaker(i18n);

/** Catalogues a chunk brings when it loads (the messenger's): fetched for every language switched to. */
const chunkCatalogues = new Set<(language: Language) => Promise<void>>();
/** Languages whose main and core catalogues are here (a chunk's words may come first). */
const loaded = new Set<Language>();
/** The language being switched to (or shown): a chunk arriving mid-switch loads its words too. */
let target: Language = DEFAULT_LANGUAGE;

/** Adds a chunk's catalogue, loaded now for the language shown (or being switched to) and with every later switch. */
export async function addChunkCatalogue(load: (language: Language) => Promise<void>): Promise<void> {
  chunkCatalogues.add(load);
  const shown = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  await Promise.all([load(shown), load(target)]);
}

/** Fetches a language's catalogue (once) and switches to it. */
export async function switchLanguage(language: Language): Promise<void> {
  target = language;
  const loading = [...chunkCatalogues].map((load) => load(language));
  if (language !== 'en' && !loaded.has(language)) {
    const [catalogue, core] = await Promise.all([loaders[language](), coreLoaders[language]()]);
    i18n.addResourceBundle(language, 'translation', catalogue.default, true, true);
    i18n.addResourceBundle(language, CORE_NAMESPACE, core.default, true, true);
    loaded.add(language);
  }
  await Promise.all(loading);
  await i18n.changeLanguage(language);
}

const pickListeners = new Set<(language: Language) => void>();

/** Someone chose `language` with a switcher (not the browser's preference): it switches, and is told. */
export function chooseLanguage(language: Language): Promise<void> {
  for (const listener of pickListeners) listener(language);
  return switchLanguage(language);
}

/** Hears a language chosen with a switcher (the chat session saves it with the account). */
export function onLanguagePicked(listener: (language: Language) => void): () => void {
  pickListeners.add(listener);
  return () => pickListeners.delete(listener);
}

/** `<html lang dir>` follow the language: screen readers pick their voice, the layout mirrors. */
export function applyToDocument(language: Language): void {
  const root = document.documentElement;
  root.lang = language === 'zh' ? 'zh-Hans' : language;
  root.dir = directionOf(language);
}
