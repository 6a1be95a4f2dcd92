// Terminal text: how many columns a string takes (wide CJK and emoji count two,
// combining marks none), cutting and wrapping to a width, and removing whatever could
// move the cursor or restyle the terminal (messages are written by others).

const COMBINING = /^[\p{Mn}\p{Me}]$/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** C0/C1 control characters and the bidirectional controls (they could reorder what is shown). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** A single code point's width in columns. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code === 0) return 0;
  if ((code >= 0x200b && code <= 0x200d) || code === 0x2060 || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (COMBINING.test(char)) return 0;
  if (isWide(code)) return 2;
  if (code >= 0x1f000 && PICTOGRAPHIC.test(char)) return 2;
  return 1;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Controls out (tabs become spaces, other controls '�'); newlines kept when `keepNewlines`. */
export function cleanText(text: string, keepNewlines = false): string {
  const tabbed = text.replace(/\t/g, '    ').replace(/\r\n?/g, '\n');
  const safe = tabbed.replace(UNSAFE, '\uFFFD');
  return keepNewlines ? safe : safe.replace(/\n/g, ' ');
}

/** At most `width` columns; '…' marks a cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

/** Exactly `width` columns: cut, then padded with spaces. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}

/**
 * Wrapped to `width` columns: at spaces where it can, inside a word (or a run of wide
 * characters) where it must. Newlines start a new line. Never returns an empty array.
 */
export function wrap(text: string, width: number): string[] {
  const size = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of cleanText(text, true).split('\n')) {
    let current = '';
    let used = 0;
    for (const word of paragraph.split(/(\s+)/u)) {
      if (word === '') continue;
      const w = textWidth(word);
      if (/^\s+$/u.test(word)) {
        if (used === 0) continue;
        if (used + w <= size) {
          current += word;
          used += w;
        } else {
          out.push(current.trimEnd());
          current = '';
          used = 0;
        }
        continue;
      }
      if (used + w <= size) {
        current += word;
        used += w;
        continue;
      }
      if (used > 0 && w <= size) {
        out.push(current.trimEnd());
        current = word;
        used = w;
        continue;
      }
      for (const char of word) {
        const cw = charWidth(char);
        if (used + cw > size && used > 0) {
          out.push(current.trimEnd());
          current = '';
          used = 0;
        }
        current += char;
        used += cw;
      }
    }
    out.push(current.trimEnd());
  }
  return out.length > 0 ? out : [''];
}
