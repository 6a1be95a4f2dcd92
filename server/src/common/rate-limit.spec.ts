import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { makeAccount, signUp } from '../../test-support/accounts.js';
import { loadConfig } from '../config/config.js';
import { rateBudget, type BudgetName } from './rate-limit.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: '3',
    RATE_SIGNUP_PER_HOUR: '3',
    RATE_AUTH_PER_MINUTE: '100',
  });
});
afterAll(() => t.close());

describe('rate limits', () => {
  it('without circuit ids, direct connections are one client: its guesses lock the account for it', async () => {
    const victim = await signUp(t.client(), 'target');
    const other = await signUp(t.client(), 'bystander');
    const guess = { username: 'target', authKey: toBase64(new Uint8Array(32)) };
    for (let i = 0; i < 3; i++) expect((await t.client().post('/api/auth/login', guess)).status).toBe(401);
    const limited = await t.client().post('/api/auth/login', { ...guess, authKey: toBase64(victim.authKey) });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/log-in attempts for this account.*Try again in \d+ s/),
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const unaffected = await t
      .client()
      .post('/api/auth/login', { username: 'bystander', authKey: toBase64(other.authKey) });
    expect(unaffected.status).toBe(200);
  });

  it('limits accounts created per hour across everyone; refused sign-ups neither count nor store', async () => {
    const own = await startTestApp({ RATE_SIGNUP_PER_HOUR: '2' });
    try {
      const client = own.client();
      // Malformed bodies and taken names are refused before they could spend the budget.
      for (let i = 0; i < 3; i++)
        expect((await client.post('/api/auth/signup', { username: 'junk' })).status).toBe(400);
      await signUp(own.client(), 'first_in');
      const taken = await makeAccount('first_in');
      for (let i = 0; i < 3; i++) expect((await client.post('/api/auth/signup', taken.signupBody)).status).toBe(409);
      await signUp(own.client(), 'second_in');
      const late = await makeAccount('third_in');
      const refused = await own.client().post('/api/auth/signup', late.signupBody);
      expect(refused.status).toBe(429);
      expect(refused.body['message']).toMatch(
        /^Too many new accounts on this server right now\. Try again in \d+ s\.$/,
      );
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const login = await own
        .client()
        .post('/api/auth/login', { username: 'third_in', authKey: toBase64(late.authKey) });
      expect(login.status).toBe(401);
    } finally {
      await own.close();
    }
  });
});

describe('the table of budgets', () => {
  it('gives every named budget its limit from its setting and its window', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://127.0.0.1/unused', RATE_MESSAGES_PER_MINUTE: '7' });
    const minute = 60_000;
    const expected: Record<BudgetName, [number, number]> = {
      api: [600, minute],
      kdf: [60, minute],
      auth: [60, minute],
      'login-client': [10, 15 * minute],
      login: [20, 15 * minute],
      signup: [20, 60 * minute],
      'passphrase-changes': [5, 60 * minute],
      'friend-requests': [30, 60 * minute],
      messages: [7, minute],
      uploads: [300, minute],
      'new-files': [300, 60 * minute],
      'ws-events': [600, minute],
      'unknown-sessions': [600, minute],
    };
    for (const [name, [limit, window]] of Object.entries(expected)) {
      expect(rateBudget(config, name as BudgetName), name).toMatchObject({ name, limit, window });
    }
  });
});
