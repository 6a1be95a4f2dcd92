// Links in a message's text: web addresses (http, https) and bare onion addresses become
// links, everything else stays text. Other schemes (javascript:, data:, file:…) are never
// matched, so they can never become something to click.

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

/** An http(s) address, or a bare v3 onion address (56 base32 letters) with an optional path. */
const CANDIDATE = /\bhttps?:\/\/[^\s<>"]+|\b[a-z2-7]{56}\.onion(?:[:/?#][^\s<>"]*)?(?![\w.-])/gi;

/** Punctuation that usually ends the sentence around a link rather than the link. */
const TRAILING = /[.,;:!?'"»”’]+$/;

const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Drops trailing punctuation and closing brackets that were not opened inside the link. */
function trimEnd(candidate: string): string {
  let text = candidate;
  for (;;) {
    const before = text;
    text = text.replace(TRAILING, '');
    const last = text[text.length - 1];
    const opener = last ? PAIRS[last] : undefined;
    if (opener && count(text, last!) > count(text, opener)) text = text.slice(0, -1);
    if (text === before) return text;
  }
}

const count = (text: string, char: string) => text.split(char).length - 1;

/** The address to open, or null when it is not a plain http(s) address worth linking. */
function linkTarget(text: string): string | null {
  const absolute = /^https?:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // "https://bank.example@evil.onion" shows one host and opens another: leave it as text.
  if (url.username || url.password || !url.hostname.includes('.')) return null;
  return url.href;
}

/** Splits a message's text into plain text and links, in order; joined, the parts are the text. */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const linkText = trimEnd(match[0]);
    const href = linkTarget(linkText);
    if (!href) continue;
    if (match.index > at) parts.push({ kind: 'text', text: text.slice(at, match.index) });
    parts.push({ kind: 'link', text: linkText, href });
    at = match.index + linkText.length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}
