// Text as search compares it: lower case, without accents or other combining marks,
// with the letter variants that people type interchangeably made one (Arabic and
// Persian yeh and kaf, Arabic-Indic and Persian digits), and joiners, tatweel and
// direction marks left out. Each folded unit remembers where it came from, so a match
// in the folded text is a range of the original that a view can highlight.

export interface FoldedText {
  folded: string;
  /** For each UTF-16 unit of `folded`: where its source character starts in the original. */
  starts: number[];
  /** ...and where it ends. */
  ends: number[];
}

const COMBINING_MARKS = /\p{M}/gu;
/** Invisible in reading, typed or not at random: zero-width (non-)joiners, soft hyphen, tatweel, direction marks. */
const IGNORED = /^[\u00ad\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]$/u;
const WHITESPACE = /^\s$/u;
/** Letters that are their own letter, not an accented one, where they are used (Russian й). */
const KEPT = new Set(['й', 'Й']);

const VARIANTS: Record<string, string> = {
  '\u064a': '\u06cc', // Arabic yeh -> Persian yeh
  '\u0649': '\u06cc', // alef maksura -> Persian yeh
  '\u0643': '\u06a9', // Arabic kaf -> Persian keheh
  '\u0629': '\u0647', // teh marbuta -> heh
};

function foldCharacter(character: string): string {
  if (IGNORED.test(character)) return '';
  if (KEPT.has(character)) return character.toLowerCase();
  const code = character.codePointAt(0)!;
  // Arabic-Indic (U+0660..9) and Persian (U+06F0..9) digits read as 0-9.
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
  const plain = character.normalize('NFKD').toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '');
  return VARIANTS[plain] ?? plain;
}

/** Folds `text` for searching; runs of whitespace become one space. */
export function foldForSearch(text: string): FoldedText {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const character of text) {
    const start = index;
    index += character.length;
    const piece = WHITESPACE.test(character) ? (folded.endsWith(' ') ? '' : ' ') : foldCharacter(character);
    for (let unit = 0; unit < piece.length; unit += 1) {
      starts.push(start);
      ends.push(index);
    }
    folded += piece;
  }
  return { folded, starts, ends };
}

/** The query as it is compared: folded, without surrounding whitespace. */
export function foldQuery(query: string): string {
  return foldForSearch(query).folded.trim();
}

/** Every place `needle` (folded already) occurs in `text`, as [start, end) ranges of the original text. */
export function findMatches(text: string, needle: string): Array<[number, number]> {
  if (needle.length === 0) return [];
  const { folded, starts, ends } = foldForSearch(text);
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (;;) {
    const at = folded.indexOf(needle, from);
    if (at < 0) break;
    ranges.push([starts[at]!, ends[at + needle.length - 1]!]);
    from = at + needle.length;
  }
  return ranges;
}
