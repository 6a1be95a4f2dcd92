import type { Snippet } from '@onionchat/client';

/** A snippet with its matches in <mark>. */
export function Highlighted({ snippet }: { snippet: Snippet }) {
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const [from, to] of snippet.ranges) {
    if (from > at) parts.push({ text: snippet.text.slice(at, from), match: false });
    parts.push({ text: snippet.text.slice(from, to), match: true });
    at = to;
  }
  if (at < snippet.text.length) parts.push({ text: snippet.text.slice(at), match: false });
  return (
    <>
      {parts.map((part, index) =>
        part.match ? (
          <mark key={index} data-testid="search-mark">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}
