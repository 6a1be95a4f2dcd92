// The onion address /api/config publishes: the host of PUBLIC_ORIGIN when it is an onion
// name (npm start sets it from tor's hostname file), else null; and the answer keeps the
// wire contract exactly.
import { describe, expect, it } from 'vitest';
import { answers } from '@onionchat/contract';
import { startTestApp } from '../../test-support/app.js';
import { onionAddress } from './onion-address.js';

const ONION = `${'a'.repeat(52)}2345.onion`;

describe('onionAddress', () => {
  it('is the onion host of the public origin, in lower case', () => {
    expect(onionAddress({ PUBLIC_ORIGIN: `http://${ONION}` })).toBe(ONION);
    expect(onionAddress({ PUBLIC_ORIGIN: `http://${ONION.toUpperCase()}/` })).toBe(ONION);
  });

  it('is null without a public origin, or when it is not an onion name', () => {
    expect(onionAddress({ PUBLIC_ORIGIN: undefined })).toBeNull();
    expect(onionAddress({ PUBLIC_ORIGIN: 'https://chat.example.org' })).toBeNull();
    expect(onionAddress({ PUBLIC_ORIGIN: 'http://127.0.0.1:8080' })).toBeNull();
    expect(onionAddress({ PUBLIC_ORIGIN: `http://${'a'.repeat(16)}.onion` })).toBeNull();
  });
});

describe('GET /api/config', () => {
  it.each([
    [{ PUBLIC_ORIGIN: `http://${ONION}` }, ONION],
    [{}, null],
  ])('publishes the onion address (%j)', async (env, expected) => {
    const t = await startTestApp(env);
    try {
      const res = await t.client().get('/api/config');
      expect(res.status).toBe(200);
      expect(res.body['onionAddress']).toBe(expected);
      expect(answers.config.parse(res.body)).toEqual(res.body);
    } finally {
      await t.close();
    }
  });
});
