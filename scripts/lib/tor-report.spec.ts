// What `npm start` says about tor: an onion address is never presented as live until
// tor says the descriptor is stored, and when it is not, the operator is told why.
import { describe, expect, it } from 'vitest';
import {
  createTorReport,
  DEFAULT_PUBLISH_WAIT_SECONDS,
  extraTorrcLines,
  onionAddressLines,
  publishWaitSeconds,
  TOR_NOT_INSTALLED,
  TOR_TURNED_OFF,
  torAbsence,
} from './tor-report.mjs';

const HOSTNAME = `${'a'.repeat(56)}.onion`;
const LOCAL = 'http://127.0.0.1:8080/';

const boot = (percent: number, summary: string) => ({ kind: 'bootstrap', percent, tag: 'x', summary });
const problem = (reason: string) => ({
  kind: 'bootstrap-problem',
  percent: 5,
  summary: 'Connecting to a relay',
  reason,
});
const published = { kind: 'published' };

function report() {
  return createTorReport({ hostname: HOSTNAME, localOrigin: LOCAL });
}

describe('without tor', () => {
  it('says tor was turned off, or is not installed, and never both', () => {
    expect(torAbsence({ turnedOff: true, installed: true })).toBe(TOR_TURNED_OFF);
    expect(torAbsence({ turnedOff: true, installed: false })).toBe(TOR_TURNED_OFF);
    expect(torAbsence({ turnedOff: false, installed: false })).toBe(TOR_NOT_INSTALLED);
    expect(torAbsence({ turnedOff: false, installed: true })).toBeNull();
    expect(TOR_TURNED_OFF).not.toMatch(/not installed/);
    expect(TOR_TURNED_OFF).toMatch(/TOR=0/);
  });
});

describe('the onion address', () => {
  it('is printed with the warning that it is not reachable yet', () => {
    const text = onionAddressLines(HOSTNAME, '.data/tor/hidden-service').join('\n');
    expect(text).toContain(`http://${HOSTNAME}/  (keys in .data/tor/hidden-service: back them up)`);
    expect(text).toMatch(/NOT reachable until tor has connected/);
  });
});

describe('createTorReport', () => {
  it('reports each step of progress once, and says when tor is connected', () => {
    const r = report();
    expect(r.update(boot(0, 'Starting'))).toEqual(['tor: connecting to the Tor network, 0% (Starting)']);
    expect(r.update(boot(5, 'Connecting to a relay'))).toEqual([
      'tor: connecting to the Tor network, 5% (Connecting to a relay)',
    ]);
    expect(r.update(boot(5, 'Connecting to a relay'))).toEqual([]);
    expect(r.update(boot(100, 'Done'))).toEqual(['tor: connected to the Tor network; publishing the onion service…']);
    expect(r.isPublished()).toBe(false);
  });

  it('says once that the onion is published, and then has nothing more to explain', () => {
    const r = report();
    r.update(boot(100, 'Done'));
    expect(r.update(published)).toEqual([
      `The onion service is published: http://${HOSTNAME}/ is reachable through Tor.`,
    ]);
    expect(r.update(published)).toEqual([]);
    expect(r.isPublished()).toBe(true);
    expect(r.notYetPublished()).toEqual([]);
  });

  it('when tor cannot reach the network: says the onion is NOT reachable, how far tor got and why', () => {
    const r = report();
    r.update(boot(0, 'Starting'));
    r.update(boot(5, 'Connecting to a relay'));
    expect(r.update(problem('Network is unreachable'))).toEqual([
      'tor: trouble connecting at 5% (Connecting to a relay): Network is unreachable',
    ]);
    // Tor repeats a problem with a growing count; the operator hears it once.
    expect(r.update(problem('Network is unreachable'))).toEqual([]);
    const text = r.notYetPublished().join('\n');
    expect(text).toContain(
      'The onion service is NOT reachable yet: tor has not connected to the Tor network ' +
        '(Bootstrapped 5%: Connecting to a relay; last problem: Network is unreachable).',
    );
    expect(text).toContain(LOCAL);
    expect(text).not.toContain('The onion service is published');
  });

  it('when tor never said anything: still NOT reachable, at 0%', () => {
    expect(report().notYetPublished()[0]).toBe(
      'The onion service is NOT reachable yet: tor has not connected to the Tor network (Bootstrapped 0%: Starting).',
    );
  });

  it('when tor is connected but has not published: says so, and that it is usually a matter of minutes', () => {
    const r = report();
    r.update(problem('Connection refused'));
    r.update(boot(100, 'Done'));
    const text = r.notYetPublished().join('\n');
    expect(text).toMatch(/NOT reachable yet: tor is connected but has not published/);
    expect(text).not.toMatch(/Connection refused/);
  });
});

describe('settings', () => {
  it('TOR_PUBLISH_WAIT_SECONDS: a whole number of seconds, with a default', () => {
    expect(publishWaitSeconds(undefined)).toBe(DEFAULT_PUBLISH_WAIT_SECONDS);
    expect(publishWaitSeconds('')).toBe(DEFAULT_PUBLISH_WAIT_SECONDS);
    expect(publishWaitSeconds('0')).toBe(0);
    expect(publishWaitSeconds('30')).toBe(30);
    for (const bad of ['-1', '1.5', 'soon']) {
      expect(() => publishWaitSeconds(bad)).toThrow(/TOR_PUBLISH_WAIT_SECONDS must be a whole number/);
    }
  });

  it('TOR_EXTRA_TORRC: the file’s lines without blanks and comments', () => {
    expect(extraTorrcLines('# bridges\nUseBridges 1\n\n  Bridge obfs4 192.0.2.1:443 X  \n')).toEqual([
      'UseBridges 1',
      'Bridge obfs4 192.0.2.1:443 X',
    ]);
  });
});
