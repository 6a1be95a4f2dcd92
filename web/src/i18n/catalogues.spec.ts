// Every language says everything English says, with the same placeholders and markup,
// and the plural forms its own grammar needs (Intl.PluralRules, as i18next picks them).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fa from './locales/fa.json';
import ru from './locales/ru.json';
import zh from './locales/zh.json';
import messengerAr from './locales/messenger/ar.json';
import messengerEn from './locales/messenger/en.json';
import messengerEs from './locales/messenger/es.json';
import messengerFa from './locales/messenger/fa.json';
import messengerRu from './locales/messenger/ru.json';
import messengerZh from './locales/messenger/zh.json';
import { PHRASE_AREAS } from '@onionchat/client';
import { LANGUAGES, pickLanguage } from './languages';

type Tree = { [key: string]: string | Tree };

const CATALOGUES: Record<string, Tree> = { en, es, ru, zh, fa, ar };
/** The messenger's words, loaded with its chunk (messenger-strings.ts). */
const MESSENGER: Record<string, Tree> = {
  en: messengerEn,
  es: messengerEs,
  ru: messengerRu,
  zh: messengerZh,
  fa: messengerFa,
  ar: messengerAr,
};
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** Plain keys as they are; plural keys grouped under their base ("x_one", "x_other" → "x"). */
function split(entries: Map<string, string>) {
  const plain = new Map<string, string>();
  const plurals = new Map<string, Map<string, string>>();
  for (const [key, value] of entries) {
    const match = PLURAL_SUFFIX.exec(key);
    if (!match) {
      plain.set(key, value);
      continue;
    }
    const base = key.slice(0, match.index);
    const forms = plurals.get(base) ?? new Map<string, string>();
    forms.set(match[1]!, value);
    plurals.set(base, forms);
  }
  return { plain, plurals };
}

/** {{placeholders}} and <tags> (Trans components): a translation must keep both. */
function markers(text: string, ignore: readonly string[] = []): string[] {
  const placeholders = [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => `{{${m[1]}}}`);
  const tags = [...text.matchAll(/<\/?(\w+)\s*\/?>/g)].map((m) => m[0]);
  return [...placeholders.filter((p) => !ignore.includes(p)), ...tags].sort();
}

const TRANSLATED = LANGUAGES.map((l) => l.code).filter((code) => code !== 'en');

/** Core sentences (client/src/…-phrases.ts), translated per area: locales/core/<area>.<language>.json. */
const CORE_DIR = fileURLToPath(new URL('./locales/core/', import.meta.url));

function coreCatalogue(area: string, code: string): Tree {
  return JSON.parse(readFileSync(`${CORE_DIR}${area}.${code}.json`, 'utf8')) as Tree;
}

describe('catalogues', () => {
  it('has a catalogue for every language of the switcher, and no other', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
  });

  it('has a core catalogue for every area and language, and no other', () => {
    const expected = Object.keys(PHRASE_AREAS).flatMap((area) => TRANSLATED.map((code) => `${area}.${code}.json`));
    const files = readdirSync(CORE_DIR).filter((name) => name.endsWith('.json'));
    expect(files.sort()).toEqual(expected.sort());
  });

  it('keeps the messenger’s keys out of the first-load catalogue', () => {
    const main = new Set(flatten(en).keys());
    for (const key of flatten(messengerEn).keys()) expect(main.has(key), key).toBe(false);
  });

  describeCatalogue('the interface', en, (code) => CATALOGUES[code]!);
  describeCatalogue('the messenger', messengerEn, (code) => MESSENGER[code]!);
  for (const [area, table] of Object.entries(PHRASE_AREAS)) {
    describeCatalogue(`the core’s ${area} sentences`, table, (code) => coreCatalogue(area, code));
  }
});

function describeCatalogue(name: string, source: Tree, translation: (code: string) => Tree) {
  describe(name, () => {
    const english = split(flatten(source));

    it('English uses exactly the plural forms one and other', () => {
      for (const [base, forms] of english.plurals) expect([...forms.keys()].sort(), base).toEqual(['one', 'other']);
    });

    describe.each(TRANSLATED)('%s', (code) => {
      const catalogue = split(flatten(translation(code)));
      const locale = code === 'zh' ? 'zh-Hans' : code;
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

      it('has every key English has, and no key English lacks', () => {
        expect([...catalogue.plain.keys()].sort()).toEqual([...english.plain.keys()].sort());
        expect([...catalogue.plurals.keys()].sort()).toEqual([...english.plurals.keys()].sort());
      });

      it('translates nothing to an empty string', () => {
        for (const [key, value] of catalogue.plain) expect(value.trim(), key).not.toBe('');
      });

      it('keeps every placeholder and tag of the English text', () => {
        for (const [key, value] of catalogue.plain) {
          expect(markers(value), `${code}: ${key}`).toEqual(markers(english.plain.get(key) ?? ''));
        }
      });

      it("has exactly the plural forms of the language's Intl.PluralRules, with the same placeholders", () => {
        for (const [base, forms] of catalogue.plurals) {
          expect([...forms.keys()].sort(), `${code}: ${base}`).toEqual([...categories].sort());
          const other = english.plurals.get(base)?.get('other') ?? '';
          // A form may spell the number out ("رسالتان": two messages), so {{count}} is optional.
          for (const [form, value] of forms) {
            expect(markers(value, ['{{count}}']), `${code}: ${base}_${form}`).toEqual(markers(other, ['{{count}}']));
          }
        }
      });
    });
  });
}

describe('pickLanguage', () => {
  it('takes the first preferred language the interface speaks', () => {
    expect(pickLanguage(['fa-IR', 'en-US'])).toBe('fa');
    expect(pickLanguage(['de-DE', 'ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage(['ar-EG'])).toBe('ar');
    expect(pickLanguage(['ES-mx'])).toBe('es');
  });

  it('takes Chinese only in Simplified script', () => {
    expect(pickLanguage(['zh-CN'])).toBe('zh');
    expect(pickLanguage(['zh-Hans-HK'])).toBe('zh');
    expect(pickLanguage(['zh'])).toBe('zh');
    expect(pickLanguage(['zh-TW', 'es'])).toBe('es');
    expect(pickLanguage(['zh-Hant'])).toBe('en');
  });

  it('falls back to English (what Tor Browser reports to every site)', () => {
    expect(pickLanguage(['en-US', 'fa'])).toBe('en');
    expect(pickLanguage(['de', 'fr'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});
