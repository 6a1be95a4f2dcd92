// The first-account link is shown only on a terminal; captured output (Docker logs, the
// journal) gets a sentence saying how to make it, and no token is made for it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pty from '@lydell/node-pty';
import { startTestApp, type TestApp } from '../../test-support/app.js';
import { signUp } from '../../test-support/accounts.js';
import { dumpDatabase, freshDatabase } from '../../test-support/database.js';
import { SERVER_ENTRY, freePort, spawnServer } from '../../test-support/server-process.js';
import {
  MAKE_FIRST_INVITE,
  ONION_LINK_CAVEAT,
  announceFirstAccount,
  firstAccountText,
  maySeeSecrets,
} from './first-account-notice.js';

const LINK = /\/signup\/#invite=([A-Za-z0-9_-]{43})/g;
const ORIGINS = ['http://127.0.0.1:8080', `http://${'a'.repeat(56)}.onion`];

function recorder(isTTY: boolean) {
  let text = '';
  return { isTTY, write: (chunk: string) => (text += chunk), text: () => text };
}

describe('the decision', () => {
  it('treats only an interactive terminal as the operator’s screen', () => {
    expect(maySeeSecrets({ isTTY: true })).toBe(true);
    expect(maySeeSecrets({ isTTY: false })).toBe(false);
    expect(maySeeSecrets({})).toBe(false);
  });
});

describe('the text', () => {
  const token = 'T'.repeat(43);

  it('says where each link is used from, each link on a line of its own', () => {
    const text = firstAccountText(ORIGINS, token);
    expect(text).toContain(`  On this computer:\n  http://127.0.0.1:8080/signup/#invite=${token}\n`);
    expect(text).toContain(`  Through Tor (${ONION_LINK_CAVEAT}):\n  ${ORIGINS[1]}/signup/#invite=${token}\n`);
    expect(text).toMatch(/single-use link, at either address:/);
  });

  it('with loopback alone, names no other address', () => {
    const text = firstAccountText([ORIGINS[0]!], token);
    expect(text).not.toMatch(/either|Tor/);
    expect(text).toContain(`On this computer:\n  http://127.0.0.1:8080/signup/#invite=${token}`);
  });
});

describe('announcing the first account in-process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REGISTRATION: 'invite' });
  });
  afterAll(() => t.close());

  it('into a log: says how to make the link, and makes no token', async () => {
    const log = recorder(false);
    await announceFirstAccount(t.app, ORIGINS, log);
    expect(log.text()).toContain(MAKE_FIRST_INVITE);
    expect(log.text()).not.toContain('#invite=');
    expect(await dumpDatabase(t.dbUrl)).not.toContain('first-account');
  });

  it('on a terminal: one working token, linked at every address; nothing once an account exists', async () => {
    const screen = recorder(true);
    await announceFirstAccount(t.app, ORIGINS, screen);
    const tokens = [...screen.text().matchAll(LINK)].map((m) => m[1]);
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(1);
    for (const origin of ORIGINS) expect(screen.text()).toContain(`${origin}/signup/#invite=${tokens[0]}`);
    await signUp(t.client(), 'founder', { inviteToken: tokens[0]! });

    const later = [recorder(true), recorder(false)];
    for (const out of later) await announceFirstAccount(t.app, ORIGINS, out);
    expect(later.map((out) => out.text())).toEqual(['', '']);
  });
});

describe('the built server', () => {
  const dbs: { drop: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });
  async function database(): Promise<string> {
    const db = await freshDatabase(inject('adminDbUrl'));
    dbs.push(db);
    return db.url;
  }

  it('with its output captured, prints how to make the link and no token', async () => {
    const server = await spawnServer({ dbUrl: await database(), env: { REGISTRATION: 'invite' } });
    try {
      await expect.poll(() => server.output()).toContain(MAKE_FIRST_INVITE);
      expect(server.output()).not.toContain('#invite=');
    } finally {
      await server.kill();
    }
  });

  it('in a terminal (as under `npm start`), prints the link', async () => {
    const port = await freePort();
    const child = pty.spawn(process.execPath, [SERVER_ENTRY], {
      env: {
        ...process.env,
        DATABASE_URL: await database(),
        PORT: String(port),
        HOST: '127.0.0.1',
        REGISTRATION: 'invite',
      },
    });
    let transcript = '';
    child.onData((data) => (transcript += data));
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
    try {
      await expect.poll(() => transcript).toMatch(new RegExp(`http://127\\.0\\.0\\.1:${port}${LINK.source}`));
      expect(transcript).not.toContain(MAKE_FIRST_INVITE);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
