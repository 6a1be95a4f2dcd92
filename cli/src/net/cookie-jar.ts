// The session cookie, in memory only: the one cookie this client keeps. Nothing about
// the session is ever written to disk; it ends with the process (and is logged out).

export const SESSION_COOKIE = 'oc_session';

export class CookieJar {
  private value: string | null = null;

  /** Reads the Set-Cookie headers of an answer: keeps, replaces or clears the session cookie. */
  take(setCookie: string | string[] | undefined): void {
    for (const header of setCookie === undefined ? [] : [setCookie].flat()) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
      const value = pair.slice(eq + 1).trim();
      this.value = value.length === 0 || expiresNow(attributes) ? null : value;
    }
  }

  /** The Cookie header to send, or null when there is no session. */
  header(): string | null {
    return this.value === null ? null : `${SESSION_COOKIE}=${this.value}`;
  }

  clear(): void {
    this.value = null;
  }
}

/** A cookie being cleared (Max-Age=0, or Expires in the past). */
function expiresNow(attributes: string[]): boolean {
  for (const attribute of attributes) {
    const [name = '', value = ''] = attribute.split('=').map((part) => part.trim());
    if (name.toLowerCase() === 'max-age' && Number(value) <= 0) return true;
    if (name.toLowerCase() === 'expires' && Date.parse(value) <= Date.now()) return true;
  }
  return false;
}
