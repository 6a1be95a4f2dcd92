// The client core's sentences in the interface language. The core says each sentence by
// key (client/src/present/phrasebook.ts); this speaker looks the key up in the `core`
// namespace, loaded with the language (locales/core). English needs no catalogue: the
// core's own tables are the English, so the speaker answers null and the core says it.

import { setSpeaker, type PhraseValues } from '@onionchat/client';
import type { i18n as I18n } from 'i18next';
import { formatDuration, formatNumber } from './format';
import { DEFAULT_LANGUAGE, directionOf, isLanguage, localeOf, type Language } from './languages';

export const CORE_NAMESPACE = 'core';

/** First-strong isolate … pop: a name keeps its own direction inside a right-to-left sentence. */
const isolate = (value: string) => `\u2068${value}\u2069`;

const listFormats = new Map<string, Intl.ListFormat>();

function listFormat(locale: string): Intl.ListFormat {
  let format = listFormats.get(locale);
  if (!format) listFormats.set(locale, (format = new Intl.ListFormat(locale, { type: 'conjunction' })));
  return format;
}

function languageOf(i18n: I18n): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

function isolated(values: PhraseValues | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values ?? {}))
    out[name] = typeof value === 'string' ? isolate(value) : value;
  return out;
}

/** Installs the speaker for `i18n`: from now on the core words its sentences in its language. */
export function installCoreSpeaker(i18n: I18n): void {
  setSpeaker({
    phrase(key, values) {
      const language = languageOf(i18n);
      if (language === DEFAULT_LANGUAGE) return null;
      const options = { ns: CORE_NAMESPACE, keySeparator: false as const, nsSeparator: false as const };
      if (!i18n.exists(key, { ...options, count: values?.count as number | undefined })) return null;
      const rtl = directionOf(language) === 'rtl';
      return i18n.t(key, { ...options, ...(rtl ? isolated(values) : values) });
    },
    duration(seconds) {
      return formatDuration(seconds, localeOf(languageOf(i18n)));
    },
    number(value) {
      const language = languageOf(i18n);
      return language === DEFAULT_LANGUAGE ? null : formatNumber(value, localeOf(language));
    },
    list(items) {
      const language = languageOf(i18n);
      if (language === DEFAULT_LANGUAGE) return null;
      const rtl = directionOf(language) === 'rtl';
      return listFormat(localeOf(language)).format(rtl ? items.map(isolate) : items);
    },
  });
}
