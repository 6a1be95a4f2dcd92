// The scanner behind every browser test's privacy proof must itself find what it looks for.
import { describe, expect, it } from 'vitest';
import { findSecrets, linesWithAddresses } from './support/privacy-scan.js';

const secret = { what: 'passphrase "violet harbour"', bytes: Buffer.from('violet harbour') };

describe('privacy scan', () => {
  it('finds a secret stored raw, as hex or as base64, and names the place', () => {
    const places = [
      { name: 'raw', bytes: Buffer.from('x violet harbour y') },
      { name: 'hex', bytes: Buffer.from(`"${secret.bytes.toString('hex')}"`) },
      { name: 'base64', bytes: Buffer.from(secret.bytes.toString('base64')) },
      { name: 'clean', bytes: Buffer.from('nothing to see') },
    ];
    expect(findSecrets([secret], places)).toEqual([
      'passphrase "violet harbour" found in raw',
      'passphrase "violet harbour" found in hex',
      'passphrase "violet harbour" found in base64',
    ]);
  });

  it('flags any address in server output but the start-up line', () => {
    const output = [
      '[Nest] 1  - 11/23/2026, 5:06:03 AM     LOG [HTTP] GET /api/rooms/:id 200 3.1ms',
      'listening on http://127.0.0.1:4100 (registration: open)',
      'socket from 10.0.0.7:443',
      'peer ::ffff:127.0.0.1',
      'peer [::1]:80',
      'client 2001:db8::1 connected',
      'fetch http://127.0.0.1:80/x failed',
    ].join('\n');
    expect(linesWithAddresses(output)).toEqual([
      'socket from 10.0.0.7:443',
      'peer ::ffff:127.0.0.1',
      'peer [::1]:80',
      'client 2001:db8::1 connected',
      'fetch http://127.0.0.1:80/x failed',
    ]);
  });
});
