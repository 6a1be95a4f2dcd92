// Renders a torrc template whose only syntax is {{name}} placeholders.
// Strict on purpose: a typo in either the template or the values must fail
// loudly instead of producing a torrc that silently lacks a setting.

export type TorrcValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Names of the placeholders used in a template, in order of first use. */
export function torrcPlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Replaces every {{name}} in `template` with `values[name]`.
 * Throws if a placeholder has no value, a value has no placeholder, or a value
 * contains a line break (which would let it inject extra torrc options).
 */
export function renderTorrc(template: string, values: TorrcValues): string {
  const used = torrcPlaceholders(template);
  const missing = used.filter((name) => !Object.hasOwn(values, name));
  if (missing.length > 0) throw new Error(`torrc template: no value for ${missing.map((n) => `{{${n}}}`).join(', ')}`);
  const unknown = Object.keys(values).filter((name) => !used.includes(name));
  if (unknown.length > 0) throw new Error(`torrc template: unknown placeholder(s) ${unknown.join(', ')}`);
  for (const [name, value] of Object.entries(values)) assertSingleLine(name, value);
  return template.replace(PLACEHOLDER, (_match, name: string) => String(values[name]));
}

function assertSingleLine(name: string, value: string | number): void {
  const text = String(value);
  if (text === '' || /[\r\n\0]/.test(text)) {
    throw new Error(`torrc template: value for {{${name}}} must be a non-empty single line`);
  }
}
