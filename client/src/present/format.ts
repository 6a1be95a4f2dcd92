// Date formatting for the account page. Uses the browser's locale and time zone
// (Tor Browser reports en-US and UTC to everyone, which is fine).

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(iso: string): string {
  const date = parse(iso);
  return date ? dateTimeFormat.format(date) : iso;
}

export function formatDate(iso: string): string {
  const date = parse(iso);
  return date ? dateFormat.format(date) : iso;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 6 days", "3 hours ago", "now". */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const date = parse(iso);
  if (!date) return iso;
  const diff = date.getTime() - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return relativeFormat.format(Math.round(diff / ms), unit);
  }
  return relativeFormat.format(0, 'second');
}

export function isPast(iso: string, now: number = Date.now()): boolean {
  const date = parse(iso);
  return date !== null && date.getTime() <= now;
}

// ---------------------------------------------------------------- chat

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortWeekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dayMonthFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const longDayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

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
export function formatTime(ms: number): string {
  return timeFormat.format(ms);
}

/** "Wednesday, 3 March 2027, 14:05": for tooltips. */
export function formatFull(ms: number): string {
  return fullFormat.format(ms);
}

/** Day separators: "Today", "Yesterday", "Monday", "Wednesday, 3 March 2027". */
export function formatDay(ms: number, now: number = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return weekdayFormat.format(ms);
  return longDayFormat.format(ms);
}

/** The conversation list: "14:05" today, "Yesterday", "Mon" this week, "3 Mar" before. */
export function formatActivity(ms: number, now: number = Date.now()): string {
  const days = Math.round((startOfDay(now) - startOfDay(ms)) / 86_400_000);
  if (days <= 0) return formatTime(ms);
  if (days === 1) return 'Yesterday';
  if (days < 7) return shortWeekdayFormat.format(ms);
  return dayMonthFormat.format(ms);
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
