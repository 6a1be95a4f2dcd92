import { describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../exit-codes.js';
import { CookieJar } from './cookie-jar.js';
import { pinOrigin } from './origin-policy.js';
import { TOR_BROWSER_SOCKS, TOR_SOCKS, agentFor, socksUrl } from './proxy.js';

const ONION = 'http://' + 'a'.repeat(52) + 'bcdq.onion';

function refusal(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('origin policy', () => {
  it('pins a v3 onion origin, from an origin or any link on it', () => {
    expect(pinOrigin(ONION)).toEqual({ origin: ONION, kind: 'onion' });
    expect(pinOrigin(`${ONION}/signup/#invite=abc`)).toEqual({ origin: ONION, kind: 'onion' });
    expect(pinOrigin(ONION.toUpperCase().replace('HTTP', 'http')).kind).toBe('onion');
  });

  it('allows this machine for development', () => {
    expect(pinOrigin('http://127.0.0.1:8080').kind).toBe('loopback');
    expect(pinOrigin('http://localhost:3000/').origin).toBe('http://localhost:3000');
    expect(pinOrigin('http://[::1]:8080').kind).toBe('loopback');
  });

  it('refuses everything else with a sentence and the usage code, unless told to allow it', () => {
    for (const input of [
      'http://example.com',
      'http://abc.onion', // a v2-style or malformed onion
      'https://' + 'a'.repeat(56) + '.onion', // onions here are http
      'http://10.0.0.1:8080',
    ]) {
      const error = refusal(() => pinOrigin(input));
      expect(error.exitCode).toBe(EXIT.usage);
      expect(error.message).toMatch(/refuses it/);
      expect(pinOrigin(input, true).kind).toBe('other');
    }
  });

  it('refuses what is not an http address at all, even when any origin is allowed', () => {
    expect(refusal(() => pinOrigin('not a url', true)).message).toMatch(/is not an address/);
    expect(refusal(() => pinOrigin('ftp://127.0.0.1/', true)).message).toMatch(/not an http address/);
    expect(refusal(() => pinOrigin('http://u:p@127.0.0.1/', true)).message).toMatch(/user name or password/);
  });
});

describe('routing', () => {
  it("uses tor's SOCKS port with remote name resolution, or Tor Browser's", () => {
    expect(socksUrl({})).toBe(TOR_SOCKS);
    expect(TOR_SOCKS).toBe('socks5h://127.0.0.1:9050');
    expect(socksUrl({ torBrowser: true })).toBe(TOR_BROWSER_SOCKS);
    expect(TOR_BROWSER_SOCKS).toBe('socks5h://127.0.0.1:9150');
    expect(socksUrl({ socks: 'socks5h://10.1.1.1:9999' })).toBe('socks5h://10.1.1.1:9999');
  });

  it('refuses SOCKS that would resolve names locally, and two proxies at once', () => {
    expect(refusal(() => socksUrl({ socks: 'socks5://127.0.0.1:9050' })).message).toMatch(/socks5h/);
    expect(refusal(() => socksUrl({ socks: 'socks5h://127.0.0.1:1', torBrowser: true })).exitCode).toBe(EXIT.usage);
  });

  it('goes direct only to this machine', () => {
    expect(agentFor(pinOrigin('http://127.0.0.1:8080'), TOR_SOCKS)).toBeUndefined();
    expect(agentFor(pinOrigin(ONION), TOR_SOCKS)).toBeDefined();
    expect(agentFor(pinOrigin('http://example.com', true), TOR_SOCKS)).toBeDefined();
  });
});

describe('cookie jar', () => {
  it('keeps only the session cookie, and forgets it when the server clears it', () => {
    const jar = new CookieJar();
    jar.take(['other=1; Path=/', 'oc_session=abc; Path=/; HttpOnly; SameSite=Strict']);
    expect(jar.header()).toBe('oc_session=abc');
    jar.take('oc_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect(jar.header()).toBeNull();
    jar.take('oc_session=def; Max-Age=3600');
    expect(jar.header()).toBe('oc_session=def');
    jar.take('oc_session=def; Max-Age=0');
    expect(jar.header()).toBeNull();
  });
});
