import { describe, expect, it } from 'vitest';
import { headerEnd, parseTorProxyHeader, PROXY_V1_MAX_BYTES } from './proxy-header.js';
import { parsePeerEntry, trustedPeers } from './trusted-peers.js';
import { loadConfig } from '../config/config.js';

describe('parseTorProxyHeader', () => {
  it('reads the global circuit id from the source address tor writes', () => {
    expect(parseTorProxyHeader('PROXY TCP6 fc00:dead:beef:4dad::0:1a2b ::1 6699 80\r\n')).toBe(String(0x1a2b));
    expect(parseTorProxyHeader('PROXY TCP6 fc00:dead:beef:4dad::1:2 ::1 2 80\r\n')).toBe(String(0x10002));
    expect(parseTorProxyHeader('PROXY TCP6 fc00:dead:beef:4dad::ffff:ffff ::1 65535 80\r\n')).toBe('4294967295');
  });

  it.each([
    ['no CRLF', 'PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80'],
    ['a bare LF', 'PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80\n'],
    ['IPv4', 'PROXY TCP4 127.0.0.1 127.0.0.1 1 80\r\n'],
    ['UNKNOWN', 'PROXY UNKNOWN\r\n'],
    ['a source outside tor’s prefix', 'PROXY TCP6 fc00:dead:beef:4dae::0:1 ::1 1 80\r\n'],
    ['a source that is no address', 'PROXY TCP6 x ::1 1 80\r\n'],
    ['a group too long', 'PROXY TCP6 fc00:dead:beef:4dad::0:12345 ::1 1 80\r\n'],
    ['a destination that is no address', 'PROXY TCP6 fc00:dead:beef:4dad::0:1 nowhere 1 80\r\n'],
    ['a port over 65535', 'PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 65536 80\r\n'],
    ['a port with a leading zero', 'PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 01 80\r\n'],
    ['a missing field', 'PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 80\r\n'],
    ['two spaces', 'PROXY  TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80\r\n'],
    ['lower case', 'proxy TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80\r\n'],
    ['more than 107 bytes', `PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80${' '.repeat(80)}\r\n`],
  ])('rejects %s', (_what, line) => {
    expect(() => parseTorProxyHeader(line)).toThrow(/PROXY/);
  });
});

describe('headerEnd', () => {
  const header = 'PROXY TCP6 fc00:dead:beef:4dad::0:1 ::1 1 80\r\n';

  it('waits for more bytes while a header may still complete', () => {
    expect(headerEnd(Buffer.from(''))).toBeUndefined();
    expect(headerEnd(Buffer.from('PRO'))).toBeUndefined();
    expect(headerEnd(Buffer.from(header.slice(0, -1)))).toBeUndefined();
  });

  it('ends just past the CRLF, leaving what follows to the application', () => {
    expect(headerEnd(Buffer.from(`${header}GET / HTTP/1.1\r\n`))).toBe(header.length);
  });

  it('gives up on a stream that does not start with "PROXY "', () => {
    expect(() => headerEnd(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/does not begin with a PROXY header/);
    expect(() => headerEnd(Buffer.from('PROXX'))).toThrow(/does not begin/);
  });

  it('gives up once 107 bytes hold no CRLF, or the CRLF comes later', () => {
    expect(() => headerEnd(Buffer.from(`PROXY ${'x'.repeat(PROXY_V1_MAX_BYTES)}`))).toThrow(/within 107 bytes/);
    expect(() => headerEnd(Buffer.from(`PROXY ${'x'.repeat(PROXY_V1_MAX_BYTES)}\r\n`))).toThrow(/within 107 bytes/);
  });
});

describe('trustedPeers', () => {
  it('trusts listed addresses and subnets, including IPv4 peers of a dual-stack socket', async () => {
    const trusted = trustedPeers(['127.0.0.1', '::1', '172.20.0.0/16']);
    expect(await trusted('127.0.0.1')).toBe(true);
    expect(await trusted('::ffff:127.0.0.1')).toBe(true);
    expect(await trusted('::1')).toBe(true);
    expect(await trusted('172.20.3.4')).toBe(true);
    expect(await trusted('172.21.0.1')).toBe(false);
    expect(await trusted('127.0.0.2')).toBe(false);
    expect(await trusted(undefined)).toBe(false);
  });

  it('trusts the addresses a host name resolves to', async () => {
    const trusted = trustedPeers(['localhost']);
    expect(await trusted('127.0.0.1')).toBe(true);
    expect(await trusted('10.1.2.3')).toBe(false);
  });

  it.each(['127.0.0.1/33', 'not a host', '10.0.0.0/8/8', 'a_b'])('refuses the entry "%s"', (entry) => {
    expect(() => parsePeerEntry(entry)).toThrow();
  });

  it('is read from ONION_TRUSTED_PEERS, whose bad entries stop start-up', () => {
    const base = { DATABASE_URL: 'postgresql://x/y' };
    expect(loadConfig(base).ONION_TRUSTED_PEERS).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({ ...base, ONION_TRUSTED_PEERS: ' tor , 172.20.0.0/16 ' }).ONION_TRUSTED_PEERS).toEqual([
      'tor',
      '172.20.0.0/16',
    ]);
    expect(() => loadConfig({ ...base, ONION_TRUSTED_PEERS: 'tor,no such/host' })).toThrow(
      /ONION_TRUSTED_PEERS: "no such\/host" is not/,
    );
  });
});
