// How the core words a sentence. Each area keeps its English beside the code that says it,
// in a table of keys (`…-phrases.ts`, data only); `sayer(table)` gives the area its
// `say(key, values)`. The terminal hears the English tables. An interface with its own
// catalogues (the web app) installs a speaker that words the same keys in the reader's
// language, so no sentence the core makes has to be taken apart again at the glass.

/** Values a sentence takes: `{{name}}` in a table's text; `count` also picks `_one`/`_other`. */
export type PhraseValues = Readonly<Record<string, string | number>>;

/** English sentences by key, with `{{value}}` placeholders and `_one`/`_other` plural forms. */
export type PhraseTable = Readonly<Record<string, string>>;

/** Words the core's sentences in another language (the web app installs one). */
export interface Speaker {
  /** The sentence in the reader's language; null where the table's English is it. */
  phrase(key: string, values: PhraseValues | undefined): string | null;
  /** "1 day", "30 seconds": a whole number of the largest unit that divides `seconds`. */
  duration(seconds: number): string;
  /** "Alice, Bob and Carol" in the reader's language; null where the English join is it. */
  list?(items: readonly string[]): string | null;
  /** A number in the reader's digits and grouping ("8,000", "۸٬۰۰۰"); null for English's. */
  number?(value: number): string | null;
}

/** A table's keys as said: plural forms under their base key ("x_one", "x_other" → "x"). */
export type SaidKey<T extends PhraseTable> = keyof T extends infer K
  ? K extends `${infer Base}_${'one' | 'other'}`
    ? Base
    : K & string
  : never;

let speaker: Speaker | null = null;

/** Installs the interface's speaker (null: English again). */
export function setSpeaker(next: Speaker | null): void {
  speaker = next;
}

/** The `say` of one area: its keys, in the installed speaker's language or the table's English. */
export function sayer<T extends PhraseTable>(table: T): (key: SaidKey<T>, values?: PhraseValues) => string {
  return (key, values) => speaker?.phrase(key, values) ?? english(table, key, values);
}

/** A timer's length in words, in the speaker's language: "1 day", "30 seconds". */
export function sayDuration(seconds: number): string {
  return speaker ? speaker.duration(seconds) : englishDuration(seconds);
}

/** A number for inside a sentence, in the speaker's digits and grouping: "8,000". */
export function sayNumber(value: number): string {
  return speaker?.number?.(value) ?? value.toLocaleString('en-US');
}

/** Names or words joined as a list in the speaker's language: "Alice, Bob and Carol". */
export function sayList(items: readonly string[]): string {
  return speaker?.list?.(items) ?? englishList(items);
}

function englishList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The English of `key` with its values (`count` picks the plural form). */
export function english(table: PhraseTable, key: string, values?: PhraseValues): string {
  const count = values?.count;
  const plural = typeof count === 'number' ? table[`${key}_${count === 1 ? 'one' : 'other'}`] : undefined;
  const template = plural ?? table[key];
  if (template === undefined) throw new Error(`The phrase ${key} has no English.`);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values?.[name] ?? ''));
}

const UNITS: readonly [number, string][] = [
  [604_800, 'week'],
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** A timer's length in English: "1 day", "30 seconds". */
export function englishDuration(seconds: number): string {
  for (const [size, unit] of UNITS) {
    if (seconds > 0 && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}
