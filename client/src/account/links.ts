// Pure helpers for the links the account pages read and hand out. Only URL
// fragments are involved: they never reach the server.

/** Pages a log-in may send the person back to (anything else: the chat). */
const RETURN_PATHS = /^\/(chat\/(#room=[0-9a-f-]{36})?|account\/(passphrase\/)?)$/;

/**
 * Where to go after logging in or unlocking: the `next` path in the fragment
 * ("#next=%2Fchat%2F%23room%3D…"), when it is one of our own pages; else /chat/.
 * Only known local paths are followed.
 */
export function afterLoginPath(hash: string): string {
  const match = /(?:^#|&)next=([^&]*)/.exec(hash);
  if (match) {
    try {
      const next = decodeURIComponent(match[1] ?? '');
      if (RETURN_PATHS.test(next)) return next;
    } catch {
      // not valid percent-encoding: ignore it
    }
  }
  return '/chat/';
}

/** The sign-up link for an invite token, on the server at `origin` ("http://….onion"). */
export function inviteLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/signup/#invite=${encodeURIComponent(token)}`;
}

/** Reads an invite token from a URL fragment ("#invite=...") or a pasted link or token. */
export function parseInviteToken(input: string): string | null {
  const text = input.trim();
  if (text.length === 0) return null;
  const hashIndex = text.indexOf('#');
  const fragment = hashIndex >= 0 ? text.slice(hashIndex + 1) : text;
  for (const part of fragment.split('&')) {
    if (part.startsWith('invite=')) {
      try {
        const token = decodeURIComponent(part.slice('invite='.length)).trim();
        return token.length > 0 ? token : null;
      } catch {
        return null;
      }
    }
  }
  // A bare token (no "#", no "=" prefix, no spaces) pasted on its own.
  if (hashIndex < 0 && !text.includes('/') && !/\s/.test(text)) return text;
  return null;
}
