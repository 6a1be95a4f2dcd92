// The interface languages, each named in itself (a reader looks for their own language's
// name, not its English one). Order: as the switcher lists them.

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'zh', name: '中文（简体）', dir: 'ltr' },
  { code: 'fa', name: 'فارسی', dir: 'rtl' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];
export type Direction = 'ltr' | 'rtl';

export const DEFAULT_LANGUAGE: Language = 'en';

const CODES: readonly string[] = LANGUAGES.map((l) => l.code);

export function isLanguage(code: string): code is Language {
  return CODES.includes(code);
}

export function directionOf(language: Language): Direction {
  return LANGUAGES.find((l) => l.code === language)?.dir ?? 'ltr';
}

/** The BCP 47 tag for Intl formatters: Chinese is Simplified (the catalogue's script). */
export function localeOf(language: Language): string {
  return language === 'zh' ? 'zh-Hans' : language;
}

/**
 * The first of the browser's preferred languages that the interface speaks.
 * Chinese counts only when it is Simplified: zh, zh-CN, zh-SG, zh-Hans (a reader of
 * zh-TW or zh-Hant gets the next preference, or English, rather than the wrong script).
 * Tor Browser reports en-US to every site (so that the language does not single anyone
 * out), so there the switcher is what changes it.
 */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const [base = '', ...rest] = tag.toLowerCase().split('-');
    if (base === 'zh') {
      // The script decides when given; else the region (Taiwan, Hong Kong, Macau write Traditional).
      const script = rest.find((part) => part === 'hans' || part === 'hant');
      const traditional = script ? script === 'hant' : rest.some((part) => ['tw', 'hk', 'mo'].includes(part));
      if (traditional) continue;
      return 'zh';
    }
    if (isLanguage(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}
