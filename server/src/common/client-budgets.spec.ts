// Budgets that strangers cannot turn against members: callers without a session are
// counted per tor circuit, so a flood from one circuit leaves every other circuit's
// kdf, log-in and public routes working, the health check is never limited, and failed
// log-ins on one circuit do not lock the owner out. Circuits are simulated the way the
// onion listener marks them (setCircuit): a connection from 127.0.0.<n> is circuit n.
// Everything runs twice: counters in this process, and in Redis (several instances).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { toBase64 } from '@onionchat/protocol';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { makeAccount, signUp, type TestAccount } from '../../test-support/accounts.js';
import { dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../../test-support/cluster.js';
import { SESSION_COOKIE } from '../access/session-cookie.js';
import { setCircuit } from '../onion/client-key.js';

const LIMITS = {
  RATE_KDF_PER_MINUTE: 5,
  RATE_API_PER_MINUTE: 30,
  RATE_AUTH_PER_MINUTE: 40,
  RATE_LOGIN_PER_CLIENT_PER_15_MIN: 3,
  RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: 6,
};

let t: TestApp;

/** Starts the app with `LIMITS` (and `env`), marking connections from 127.0.0.<n> as circuit n. */
async function startApp(env: Record<string, string>): Promise<void> {
  const limits = Object.fromEntries(Object.entries(LIMITS).map(([k, v]) => [k, String(v)]));
  t = await startTestApp({ ...limits, ...env });
  (t.app.getHttpServer() as Server).on('connection', (socket: Socket) => {
    const circuit = /^(?:::ffff:)?127\.0\.0\.(\d+)$/.exec(socket.remoteAddress ?? '')?.[1];
    if (circuit && circuit !== '1') setCircuit(socket, circuit);
  });
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: string | undefined;
}

/** A caller on tor circuit `n` (2..254): every request opens a connection from 127.0.0.<n>. */
class Circuit {
  cookie: string | undefined;

  constructor(readonly n: number) {}

  get(path: string): Promise<Answer> {
    return this.request('GET', path);
  }

  post(path: string, body: unknown): Promise<Answer> {
    return this.request('POST', path, JSON.stringify(body));
  }

  private request(method: string, path: string, body?: string): Promise<Answer> {
    const { hostname, port } = new URL(t.baseUrl);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers['cookie'] = this.cookie;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { method, hostname, port, path, headers, localAddress: `127.0.0.${this.n}`, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
            if (cookie) this.cookie = cookie.endsWith('=') ? undefined : cookie;
            const text = Buffer.concat(chunks).toString();
            const retryAfter = res.headers['retry-after'];
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, retryAfter });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}

const kdf = (c: Circuit, username: string) => c.post('/api/auth/kdf', { username });
const logIn = (c: Circuit, account: TestAccount) =>
  c.post('/api/auth/login', { username: account.username, authKey: toBase64(account.authKey) });
const guess = (c: Circuit, username: string) =>
  c.post('/api/auth/login', { username, authKey: toBase64(new Uint8Array(32).fill(c.n)) });

/** Repeats `call` until it is refused; the statuses, the refusal last (bounded). */
async function flood(call: () => Promise<Answer>): Promise<{ statuses: number[]; refusal: Answer }> {
  const statuses: number[] = [];
  for (let i = 0; i < 200; i++) {
    const answer = await call();
    statuses.push(answer.status);
    if (answer.status === 429) return { statuses, refusal: answer };
  }
  throw new Error('never refused');
}

const ok = (n: number) => Array<number>(n).fill(200);

const redisPrefix = uniquePrefix('client-budgets');
describe.each([
  ['counted in memory', {}],
  ['counted in Redis', { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redisPrefix }],
])('%s', (_storage, env: Record<string, string>) => {
  beforeAll(() => startApp(env));
  afterAll(async () => {
    await t.close();
    if (env['REDIS_PREFIX']) await dropPrefix(env['REDIS_PREFIX']);
  });

  describe('kdf (RATE_KDF_PER_MINUTE, per client)', () => {
    it('refuses a flood from one circuit and leaves another circuit’s kdf and log-in working', async () => {
      const kira = await signUp(t.client(), 'kira');
      const { statuses, refusal } = await flood(() => kdf(new Circuit(10), 'kira'));
      expect(statuses).toEqual([...ok(LIMITS.RATE_KDF_PER_MINUTE), 429]);
      expect(refusal.body).toMatchObject({
        code: 'rate_limited',
        message: expect.stringMatching(/^Too many log-in lookups from this connection\. Try again in \d+ s\.$/),
      });
      expect(Number(refusal.retryAfter)).toBeGreaterThan(0);

      const other = new Circuit(11);
      expect((await kdf(other, 'kira')).status).toBe(200);
      expect((await logIn(other, kira)).status).toBe(200);
      // kdf calls spend neither the log-in budget of their own circuit nor a server-wide one.
      expect((await logIn(new Circuit(10), kira)).status).toBe(200);
    });
  });

  describe('requests without a session (RATE_API_PER_MINUTE, per client)', () => {
    it('refuses a flood from one circuit; others still read the config, look up and log in', async () => {
      const lena = await signUp(t.client(), 'lena');
      const { statuses, refusal } = await flood(() => new Circuit(20).get('/api/config'));
      expect(statuses).toEqual([...ok(LIMITS.RATE_API_PER_MINUTE), 429]);
      expect(refusal.body['message']).toMatch(/^Too many requests\. Try again in \d+ s\.$/);
      expect((await kdf(new Circuit(20), 'lena')).status).toBe(429);

      const other = new Circuit(21);
      expect((await other.get('/api/config')).status).toBe(200);
      expect((await kdf(other, 'lena')).status).toBe(200);
      expect((await logIn(other, lena)).status).toBe(200);
      // The session it got is counted on its own, not with its circuit's anonymous calls.
      expect((await other.get('/api/account')).status).toBe(200);
    });

    it('counts public routes per circuit even with made-up session cookies', async () => {
      const forger = new Circuit(24);
      const { statuses } = await flood(() => {
        forger.cookie = `${SESSION_COOKIE}=${randomUUID()}`;
        return forger.get('/api/config');
      });
      expect(statuses).toEqual([...ok(LIMITS.RATE_API_PER_MINUTE), 429]);
    });

    it('cuts off a circuit that floods made-up cookies on member routes; other circuits and real sessions go on', async () => {
      const forger = new Circuit(25);
      const { statuses, refusal } = await flood(() => {
        forger.cookie = `${SESSION_COOKIE}=${randomUUID()}`;
        return forger.get('/api/account');
      });
      expect(statuses).toEqual([...Array<number>(LIMITS.RATE_API_PER_MINUTE).fill(401), 429]);
      expect(refusal.body['message']).toMatch(/^Too many requests with a session that has ended or never existed\./);
      // Still refused, before any lookup, with a made-up cookie it has not tried.
      forger.cookie = `${SESSION_COOKIE}=${randomUUID()}`;
      expect((await forger.get('/api/account')).status).toBe(429);

      const honest = new Circuit(26);
      honest.cookie = `${SESSION_COOKIE}=${randomUUID()}`;
      expect((await honest.get('/api/account')).status).toBe(401);
      const nina = await signUp(t.client(), 'nina');
      const member = new Circuit(26);
      expect((await logIn(member, nina)).status).toBe(200);
      expect((await member.get('/api/account')).status).toBe(200);
    });

    it('never limits the health check, even from a flooded circuit, and it spends no budget', async () => {
      const flooded = new Circuit(22);
      await flood(() => flooded.get('/api/config'));
      const statuses: number[] = [];
      for (let i = 0; i < LIMITS.RATE_API_PER_MINUTE + 5; i++) statuses.push((await flooded.get('/api/health')).status);
      expect(statuses).toEqual(ok(LIMITS.RATE_API_PER_MINUTE + 5));
      expect((await t.client().get('/api/health')).body).toEqual({ status: 'ok' });

      const calm = new Circuit(23);
      for (let i = 0; i < LIMITS.RATE_API_PER_MINUTE + 5; i++) await calm.get('/api/health');
      expect((await calm.get('/api/config')).status).toBe(200);
    });
  });

  describe('a concurrent flood from one circuit', () => {
    it('leaves another circuit’s kdf, log-in and the health check working while it runs', async () => {
      const mona = await signUp(t.client(), 'mona');
      const flooder = new Circuit(60);
      const calls = [
        () => flooder.get('/api/config'),
        () => kdf(flooder, 'mona'),
        () => guess(flooder, 'mona'),
        () => flooder.post('/api/auth/signup', { username: 'junk' }),
      ];
      const flood = Promise.all(Array.from({ length: 200 }, (_, i) => calls[i % calls.length]!()));
      const other = new Circuit(61);
      const during = [
        (await kdf(other, 'mona')).status,
        (await logIn(other, mona)).status,
        (await other.get('/api/health')).status,
      ];
      const flooded = (await flood).map((a) => a.status);
      expect(during).toEqual([200, 200, 200]);
      expect(flooded.filter((s) => s === 429).length).toBeGreaterThan(100);
      expect(flooded.every((s) => s < 500)).toBe(true);
    });
  });

  describe('failed log-ins (RATE_LOGIN_PER_CLIENT_PER_15_MIN, RATE_LOGIN_PER_ACCOUNT_PER_15_MIN)', () => {
    const perClient = LIMITS.RATE_LOGIN_PER_CLIENT_PER_15_MIN;

    it('locks a guessing circuit out of that account only; the owner logs in from their own', async () => {
      const olga = await signUp(t.client(), 'olga');
      const bob = await signUp(t.client(), 'bob_bystander');
      const stranger = new Circuit(30);
      const { statuses, refusal } = await flood(() => guess(stranger, 'olga'));
      expect(statuses).toEqual([...Array<number>(perClient).fill(401), 429]);
      expect(refusal.body['message']).toMatch(
        /^Too many log-in attempts for this account from this connection\. Try again in \d+ s\.$/,
      );
      expect(Number(refusal.retryAfter)).toBeGreaterThan(0);
      // Even the right key is refused on that circuit: the limit hides whether a guess is right.
      expect((await logIn(stranger, olga)).status).toBe(429);
      // The same circuit may still log in to other accounts.
      expect((await logIn(stranger, bob)).status).toBe(200);
      expect((await logIn(new Circuit(31), olga)).status).toBe(200);
    });

    it('once the account’s budget is spent, refuses only circuits that tried already: the owner still gets in', async () => {
      const owner = t.client();
      const pia = await signUp(owner, 'pia');
      // Strangers on several circuits spend the account's budget (6) with 2 guesses each.
      for (const n of [40, 41, 42]) {
        expect((await guess(new Circuit(n), 'pia')).status).toBe(401);
        expect((await guess(new Circuit(n), 'pia')).status).toBe(401);
      }
      const again = await guess(new Circuit(40), 'pia');
      expect(again.status).toBe(429);
      expect(again.body['message']).toMatch(
        /^Too many log-in attempts for this account, and this connection has already tried\. Try again in \d+ s\. A first attempt from a new tor circuit .* is let through\.$/,
      );
      // A stranger now gets one guess per new circuit, and no more.
      expect((await guess(new Circuit(43), 'pia')).status).toBe(401);
      expect((await guess(new Circuit(43), 'pia')).status).toBe(429);

      // The owner, from a circuit of their own, logs in.
      expect((await logIn(new Circuit(44), pia)).status).toBe(200);
      // What the strangers do lock: a second try from the same circuit, e.g. after a typo.
      const typo = new Circuit(45);
      expect((await guess(typo, 'pia')).status).toBe(401);
      expect((await logIn(typo, pia)).status).toBe(429);

      // The owner's existing session is untouched, and a passphrase change (proof of the
      // old passphrase) is not subject to the log-in limit.
      expect((await owner.get('/api/account')).status).toBe(200);
      const next = await makeAccount('unused');
      const change = await owner.post('/api/account/passphrase', {
        currentAuthKey: toBase64(pia.authKey),
        kdfParams: next.signupBody['kdfParams'],
        authKey: next.signupBody['authKey'],
        keyBundle: next.signupBody['keyBundle'],
      });
      expect(change.status).toBe(200);
    });

    it('counts parallel guesses from one circuit before checking any, so none slip past the limit', async () => {
      await signUp(t.client(), 'quin');
      const burst = await Promise.all(Array.from({ length: 10 }, () => guess(new Circuit(50), 'quin')));
      const statuses = burst.map((a) => a.status).sort();
      expect(statuses).toEqual([...Array<number>(perClient).fill(401), ...Array<number>(10 - perClient).fill(429)]);
    });
  });
});
