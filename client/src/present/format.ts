// Date and time formatting in the reader's language. The web app passes the interface
// language; without one it is English (the terminal client's language). Time zone: the
// system's (Tor Browser reports UTC to everyone, which is fine).

/** English unless a locale is given. */
export const DEFAULT_LOCALE = 'en';

const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  const key = `r|${locale}`;
  let format = formatters.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
  return format;
}

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(iso: string, locale: string = DEFAULT_LOCALE): string {
  const date = parse(iso);
  return date ? dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date) : iso;
}

export function formatDate(iso: string, locale: string = DEFAULT_LOCALE): string {
  const date = parse(iso);
  return date ? dateFormat(locale, { dateStyle: 'long' }).format(date) : iso;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 6 days", "3 hours ago", "now". */
export function formatRelative(iso: string, now: number = Date.now(), locale: string = DEFAULT_LOCALE): string {
  const date = parse(iso);
  if (!date) return iso;
  const diff = date.getTime() - now;
  const format = relativeFormat(locale);
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
  }
  return format.format(0, 'second');
}

export function isPast(iso: string, now: number = Date.now()): boolean {
  const date = parse(iso);
  return date !== null && date.getTime() <= now;
}

// ---------------------------------------------------------------- chat

const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'long' };
const SHORT_WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'short' };
const DAY_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const LONG_DAY: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' };
const FULL: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };

/** "Today" / "Yesterday" in the locale's own words (Intl's "today", capitalised where the script has case). */
function dayWord(daysAgo: number, locale: string): string {
  const word = relativeFormat(locale).format(-daysAgo, 'day');
  return word.charAt(0).toLocaleUpperCase(locale) + word.slice(1);
}

/** Local midnight of the day `ms` falls on. */
export function startOfDay(ms: number): number {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** "14:05" (or "2:05 PM", as the locale has it). */
export function formatTime(ms: number, locale: string = DEFAULT_LOCALE): string {
  return dateFormat(locale, TIME).format(ms);
}

/** "Wednesday, 3 March 2027, 14:05": for tooltips. */
export function formatFull(ms: number, locale: string = DEFAULT_LOCALE): string {
  return dateFormat(locale, FULL).format(ms);
}

/** Day separators: "Today", "Yesterday", "Monday", "Wednesday, 3 March 2027". */
export function formatDay(ms: number, now: number = Date.now(), locale: string = DEFAULT_LOCALE): string {
  const days = Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
  if (days === 0 || days === 1) return dayWord(days, locale);
  if (days > 1 && days < 7) return dateFormat(locale, WEEKDAY).format(ms);
  return dateFormat(locale, LONG_DAY).format(ms);
}

/** The conversation list: "14:05" today, "Yesterday", "Mon" this week, "3 Mar" before. */
export function formatActivity(ms: number, now: number = Date.now(), locale: string = DEFAULT_LOCALE): string {
  const days = Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
  if (days <= 0) return formatTime(ms, locale);
  if (days === 1) return dayWord(1, locale);
  if (days < 7) return dateFormat(locale, SHORT_WEEKDAY).format(ms);
  return dateFormat(locale, DAY_MONTH).format(ms);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
