// Durations in the reader's language through Intl (no catalogue needed): "1 day",
// "1 день", "۱ روز"; narrow for the small header mark ("1d", "1 д").

const UNITS: readonly [number, 'week' | 'day' | 'hour' | 'minute' | 'second'][] = [
  [604_800, 'week'],
  [86_400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

const formats = new Map<string, Intl.NumberFormat>();

/** Intl formatters are costly to make and rows format on every render: one per use. */
function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${options.unit ?? ''}|${options.unitDisplay ?? ''}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** A whole number of the largest unit that divides `seconds` exactly (timers are chosen that way). */
export function formatDuration(seconds: number, locale: string, display: 'long' | 'narrow' = 'long'): string {
  const [size, unit] = UNITS.find(([s]) => seconds % s === 0) ?? [1, 'second'];
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: display }).format(seconds / size);
}

/** A count in the reader's digits and grouping ("1,234", "۱٬۲۳۴"). */
export function formatNumber(value: number, locale: string): string {
  return numberFormat(locale).format(value);
}
