// The messenger's words (`chat.*` and `group.*`, locales/messenger/<language>.json) come
// with the messenger's chunk rather than in every page's first load: over Tor each
// kilobyte of the log-in, sign-up and account pages is slow, and they never show them.

import { addChunkCatalogue, i18n } from './i18n';
import type { Language } from './languages';
import en from './locales/messenger/en.json';

const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Record<string, unknown> }>> = {
  es: () => import('./locales/messenger/es.json'),
  ru: () => import('./locales/messenger/ru.json'),
  zh: () => import('./locales/messenger/zh.json'),
  fa: () => import('./locales/messenger/fa.json'),
  ar: () => import('./locales/messenger/ar.json'),
};

const loaded = new Set<Language>();

async function loadMessengerCatalogue(language: Language): Promise<void> {
  if (loaded.has(language)) return;
  const catalogue = language === 'en' ? en : (await loaders[language]()).default;
  // Merged into the main namespace, so components keep their keys (`chat.…`) as they are.
  i18n.addResourceBundle(language, 'translation', catalogue, true, true);
  loaded.add(language);
}

/** The messenger's words in English (the fallback) and in the language now shown. */
export async function messengerStrings(): Promise<void> {
  await loadMessengerCatalogue('en');
  await addChunkCatalogue(loadMessengerCatalogue);
}
