// A short piece of a long message around its first match, with the matches in it as
// ranges of the piece, so a view can highlight them without searching again.

/** Characters kept on each side of the first match. */
export const SNIPPET_RADIUS = 48;
const ELLIPSIS = '…';

export interface Snippet {
  text: string;
  /** [start, end) in `text`, in order. */
  ranges: Array<[number, number]>;
}

/** Moves `at` off the second half of a surrogate pair, so no character is cut in two. */
function onBoundary(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}

/** Prefers to cut at a space near `at` (within a few characters) over cutting a word. */
function nearSpace(text: string, at: number, towards: 1 | -1): number {
  for (let step = 0; step < 12; step += 1) {
    const probe = at + step * towards;
    if (probe <= 0 || probe >= text.length) return at;
    if (/\s/u.test(text[probe]!)) return towards > 0 ? probe + 1 : probe;
  }
  return at;
}

/** The snippet of `text` around `ranges[0]` (ranges: [start, end) in `text`, in order). */
export function snippetAround(text: string, ranges: ReadonlyArray<readonly [number, number]>): Snippet {
  const first = ranges[0];
  if (!first) return { text: text.slice(0, SNIPPET_RADIUS * 2), ranges: [] };
  let start = Math.max(0, first[0] - SNIPPET_RADIUS);
  let end = Math.min(text.length, first[1] + SNIPPET_RADIUS);
  if (start > 0) start = onBoundary(text, Math.min(nearSpace(text, start, 1), first[0]));
  if (end < text.length) end = onBoundary(text, Math.max(nearSpace(text, end, -1), first[1]));
  const prefix = start > 0 ? ELLIPSIS : '';
  const suffix = end < text.length ? ELLIPSIS : '';
  const shift = prefix.length - start;
  return {
    text: `${prefix}${text.slice(start, end)}${suffix}`,
    ranges: ranges
      .filter(([from, to]) => from >= start && to <= end)
      .map(([from, to]): [number, number] => [from + shift, to + shift]),
  };
}
