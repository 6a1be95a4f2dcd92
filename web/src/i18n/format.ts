// Durations in the reader's language through Intl (no catalogue needed): "1 day",
// "1 день", "۱ روز"; narrow for the small header mark ("1d", "1 д").

const UNITS: readonly [number, 'week' | 'day' | 'hour' | 'minute' | 'second'][] = [
  [604_800, 'week'],
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** A whole number of the largest unit that divides `seconds` exactly (timers are chosen that way). */
export function formatDuration(seconds: number, locale: string, display: 'long' | 'narrow' = 'long'): string {
  const [size, unit] = UNITS.find(([s]) => seconds % s === 0) ?? [1, 'second'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: display }).format(seconds / size);
}

/** A count in the reader's digits and grouping ("1,234", "۱٬۲۳۴"). */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}
