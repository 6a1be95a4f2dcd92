// The terminal client as a real process against the real built server on loopback and
// real PostgreSQL: two people sign up, befriend, chat both ways (also live), send a
// file and fetch it byte for byte, and no sessions pile up; nothing is left on disk but
// the fetched file. Then the canary scan: the working directory (also the CLI's HOME)
// and everything every process printed are searched for the passphrases, identity
// secret keys and session cookie, and the directory also for the messages and file bytes.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../../server/test-support/database.js';
import { freePort, spawnServer, type RunningServer } from '../../server/test-support/server-process.js';
import { findSecrets, type Place } from '../../web/e2e/support/privacy-scan.js';
import { rememberFileBytes, rememberText, rememberedSecrets, type Secret } from '../../web/e2e/support/secrets.js';
import { SESSION_COOKIE } from './net/cookie-jar.js';
import { logIn, openSession } from './session.js';
import { capturedIo } from './test-support/capture.js';
import {
  startCli as startCliProcess,
  waitForOutput,
  type CliOptions,
  type CliResult,
  type RunningCli,
} from './test-support/cli-process.js';
import { startFakeSocks } from './test-support/socks-server.js';
import { friendsLoaded } from './wait.js';

const PASS_ALICE = 'violet kettle drums at midnight';
const PASS_BOB = 'seven quiet harbors in winter';
const PASS_DAVE_NEW = 'amber lanterns over the river';
const PASS_WRONG = 'not the passphrase at all';
const PASSPHRASES: Secret[] = [PASS_ALICE, PASS_BOB, PASS_DAVE_NEW, PASS_WRONG].map((text) => ({
  what: `passphrase "${text}"`,
  bytes: Buffer.from(text),
}));
/**
 * The session tokens live only in each process's memory and the server keeps only their
 * hashes, so the test cannot know them: it looks for the cookie that would carry one.
 */
const SESSION_COOKIE_MARK: Secret = {
  what: `the session cookie (${SESSION_COOKIE}=)`,
  bytes: Buffer.from(`${SESSION_COOKIE}=`),
};
/** The one file in the working directory that may hold what was sent: it was fetched on purpose. */
const FETCHED = 'report.bin';
/** A made-up onion name the server is told to answer for, reached through the fake SOCKS server. */
const ONION_HOST = 'x'.repeat(52) + 'onio.onion';

let server: RunningServer;
let dropDb: () => Promise<void>;
let filesDir: string;
/** The working directory of every command: empty, and it must stay so (but for the fetched file). */
let work: string;
/** Where the file to send lives (outside the working directory). */
let source: string;

beforeAll(async () => {
  const db = await freshDatabase(inject('adminDbUrl'));
  dropDb = db.drop;
  filesDir = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-files-'));
  work = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-work-'));
  source = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-source-'));
  server = await spawnServer({
    dbUrl: db.url,
    env: {
      FILES_DIR: filesDir,
      TOR: '0',
      REGISTRATION: 'open',
      RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: '1000',
      RATE_LOGIN_PER_CLIENT_PER_15_MIN: '1000',
      RATE_KDF_PER_MINUTE: '1000',
      RATE_AUTH_PER_MINUTE: '1000',
      RATE_SIGNUP_PER_HOUR: '1000',
      ALLOWED_HOSTS: ONION_HOST,
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.kill();
  await dropDb?.();
  for (const dir of [filesDir, work, source]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** stdout and stderr of every CLI process, named by its command line: searched at the end. */
const printed: Place[] = [];

/** cli-process's startCli, keeping what the process printed for the canary scan. */
function startCli(args: string[], options: CliOptions): RunningCli {
  const running = startCliProcess(args, options);
  const command = `onionchat ${args.join(' ')}`;
  // Registered before any caller's await, so the output is kept before the test goes on.
  void running.done.then(({ stdout, stderr }) => {
    printed.push(
      { name: `stdout of ${command}`, bytes: Buffer.from(stdout) },
      { name: `stderr of ${command}`, bytes: Buffer.from(stderr) },
    );
  });
  return running;
}

function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** A message text as sent, noted: the working directory must never hold it. */
function said(text: string): string {
  rememberText('message', text);
  return text;
}

/** Every regular file under `dir`, dotfiles and subfolders included, but the fetched file. */
function filesIn(dir: string): Place[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => file !== path.join(dir, FETCHED))
    .map((file) => ({ name: `file ${path.relative(dir, file)}`, bytes: readFileSync(file) }));
}

/**
 * The secret halves of someone's identity keys, logged in here through the CLI's own
 * code. Copied: logging out wipes the originals.
 */
async function identitySecrets(user: string, passphrase: string): Promise<Secret[]> {
  const account = await logIn({ options: { onion: server.origin, user }, io: capturedIo() }, undefined, passphrase);
  try {
    const { boxSecretKey, signSecretKey, signSeed, kem } = account.identity;
    // Accounts made by this version always have them; without, a key would go unsearched.
    if (!kem) throw new Error(`${user} has no ML-KEM keys`);
    const keys = {
      'box secret key': boxSecretKey,
      'signing secret key': signSecretKey,
      'signing seed': signSeed,
      'ML-KEM seed': kem.seed,
      'ML-KEM secret key': kem.secretKey,
    };
    return Object.entries(keys).map(([what, bytes]) => ({ what: `${user}'s ${what}`, bytes: Buffer.from(bytes) }));
  } finally {
    await account.logOut();
  }
}

function as(user: 'alice' | 'bob', args: string[], stdin?: string): Promise<CliResult> {
  return runCli(['--onion', server.origin, '--user', user, '--passphrase-env', 'OC_PASS', ...args], {
    cwd: work,
    env: { OC_PASS: user === 'alice' ? PASS_ALICE : PASS_BOB },
    stdin,
  });
}

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('onionchat against the real server', () => {
  it('signs two people up, befriends them and chats both ways', async () => {
    const signupLink = `${server.origin}/signup/`;
    const [alice, bob] = await Promise.all([
      runCli(['--user', 'alice', '--passphrase-env', 'OC_PASS', 'signup', signupLink], {
        cwd: work,
        env: { OC_PASS: PASS_ALICE },
      }),
      runCli(['--user', 'bob', '--passphrase-env', 'OC_PASS', 'signup', signupLink], {
        cwd: work,
        env: { OC_PASS: PASS_BOB },
      }),
    ]);
    expect(ok(alice).stdout).toContain('Signed up as alice');
    expect(ok(bob).stdout).toContain('Signed up as bob');

    expect(ok(await as('alice', ['request', 'bob'])).stdout).toContain('Asked bob');
    const bobsList = jsonLines(ok(await as('bob', ['friends', '--json'])).stdout);
    expect(bobsList).toContainEqual(expect.objectContaining({ kind: 'incoming', username: 'alice' }));
    expect(ok(await as('bob', ['accept', 'alice'])).stdout).toContain('friends now');

    ok(await as('alice', ['send', 'bob', said('hello bob')]));
    ok(await as('bob', ['send', 'alice', '-'], `${said('hello alice, from stdin')}\n`));
    const read = jsonLines(ok(await as('alice', ['read', 'bob', '--json'])).stdout);
    expect(read.map((message) => [message.from, message.text, message.state])).toEqual([
      ['alice', 'hello bob', 'sent'],
      ['bob', 'hello alice, from stdin', 'sent'],
    ]);
    expect(read[1]).toMatchObject({ with: 'bob', mine: false, file: null, warning: null });
  }, 90_000);

  it('watch --json prints a message as it arrives, and ends on SIGTERM with exit 0', async () => {
    const watching = startCli(
      ['--onion', server.origin, '--user', 'bob', '--passphrase-env', 'OC_PASS', 'watch', '--json'],
      {
        cwd: work,
        env: { OC_PASS: PASS_BOB },
      },
    );
    // It says so on stderr once it is connected and caught up.
    await waitForOutput(watching.stderr, (text) => text.includes('Watching for messages'));
    ok(await as('alice', ['send', 'bob', said('are you there?')]));
    await waitForOutput(watching.stdout, (text) => text.includes('are you there?'));
    const [message] = jsonLines(watching.stdout());
    expect(message).toMatchObject({ from: 'alice', with: 'alice', text: 'are you there?', state: 'sent' });
    watching.child.kill('SIGTERM');
    expect((await watching.done).code).toBe(0);
  }, 60_000);

  it('sends a file and fetches it byte for byte, never under its name before it checked out', async () => {
    const content = randomBytes(300_000);
    rememberFileBytes(FETCHED, content);
    const file = path.join(source, FETCHED);
    writeFileSync(file, content);
    const sent = ok(await as('alice', ['send-file', 'bob', file]));
    expect(sent.stdout).toContain('Sent “report.bin”');
    expect(sent.stderr).toMatch(/Uploading report\.bin: \d+%/);
    const got = ok(await as('bob', ['get-file', 'alice', 'report.bin']));
    expect(got.stdout).toContain('checked');
    expect(readFileSync(path.join(work, 'report.bin')).equals(content)).toBe(true);
  }, 60_000);

  it('shows the same safety number to both and saves a verification to the account', async () => {
    const fromAlice = jsonLines(ok(await as('alice', ['safety', 'bob', '--json'])).stdout)[0];
    const fromBob = jsonLines(ok(await as('bob', ['safety', 'alice', '--json'])).stdout)[0];
    expect(fromAlice).toMatchObject({ username: 'bob', trust: 'unverified' });
    expect(fromAlice?.safetyNumber).toMatch(/^\d{60}$/);
    expect(fromAlice?.safetyNumber).toBe(fromBob?.safetyNumber);
    expect(ok(await as('alice', ['verify', 'bob'])).stdout).toContain('bob is verified');
    // A later session reads the pin back from the sealed key bundle.
    const friends = jsonLines(ok(await as('alice', ['friends', '--json'])).stdout);
    expect(friends).toContainEqual(expect.objectContaining({ kind: 'friend', username: 'bob', trust: 'verified' }));
  }, 60_000);

  it('adds a friend by contact link, verified, and changes a passphrase', async () => {
    const dave = await runCli(['--user', 'dave', '--passphrase-env', 'OC_PASS', 'signup', `${server.origin}/signup/`], {
      cwd: work,
      env: { OC_PASS: PASS_ALICE },
    });
    ok(dave);
    const asDave = (args: string[], pass = PASS_ALICE, env: Record<string, string> = {}) =>
      runCli(['--onion', server.origin, '--user', 'dave', '--passphrase-env', 'OC_PASS', ...args], {
        cwd: work,
        env: { OC_PASS: pass, ...env },
      });
    const { contactLink } = jsonLines(ok(await as('bob', ['login', '--json'])).stdout)[0] as { contactLink: string };
    // A link whose fingerprint is not bob's keys': refused by the trust check, nothing sent.
    const forged = contactLink.replace(/fp=([0-9a-f])/i, (_, digit: string) => `fp=${digit === '0' ? '1' : '0'}`);
    const refused = await asDave(['add', forged]);
    expect(refused.code).toBe(5);
    expect(refused.stderr.trim().length).toBeGreaterThan(0);
    expect(ok(await asDave(['add', contactLink])).stdout).toContain('they are verified');
    ok(await as('bob', ['accept', 'dave']));
    const davesFriends = jsonLines(ok(await asDave(['friends', '--json'])).stdout);
    expect(davesFriends).toContainEqual(
      expect.objectContaining({ kind: 'friend', username: 'bob', trust: 'verified' }),
    );

    const fresh = PASS_DAVE_NEW;
    ok(await asDave(['passphrase', '--new-passphrase-env', 'NEXT'], PASS_ALICE, { NEXT: fresh }));
    expect((await asDave(['login'])).code).toBe(3);
    expect(ok(await asDave(['login'], fresh)).stdout).toContain('Logged in as dave');
  }, 60_000);

  it('declines, blocks and unblocks', async () => {
    const carol = await runCli(
      ['--user', 'carol', '--passphrase-env', 'OC_PASS', 'signup', `${server.origin}/signup/`],
      {
        cwd: work,
        env: { OC_PASS: PASS_BOB },
      },
    );
    ok(carol);
    const asCarol = (args: string[]) =>
      runCli(['--onion', server.origin, '--user', 'carol', '--passphrase-env', 'OC_PASS', ...args], {
        cwd: work,
        env: { OC_PASS: PASS_BOB },
      });
    ok(await asCarol(['request', 'alice']));
    expect(ok(await as('alice', ['decline', 'carol'])).stdout).toContain('Declined');
    ok(await as('alice', ['block', 'carol']));
    expect(jsonLines(ok(await as('alice', ['friends', '--json'])).stdout)).toContainEqual(
      expect.objectContaining({ kind: 'blocked', username: 'carol' }),
    );
    ok(await as('alice', ['unblock', 'carol']));
    const result = await as('alice', ['accept', 'carol']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('carol has not asked to be your friend.\n');
  }, 60_000);

  it('lists the groups with their verified members, and sends to and reads a group by its name or id', async () => {
    // Alice makes the group through the client core, as the full-screen chat's /group does.
    const session = await openSession({
      options: { onion: server.origin, user: 'alice', passphraseEnv: 'OC_PASS' },
      io: capturedIo({ OC_PASS: PASS_ALICE }),
    });
    let roomId: string;
    try {
      const bob = (await friendsLoaded(session.chat)).friends.find((friend) => friend.user.username === 'bob')!;
      roomId = await session.chat.createGroup({ name: 'Book club', memberIds: [bob.user.id] });
    } finally {
      await session.close();
    }

    const [club, ...others] = jsonLines(ok(await as('bob', ['groups', '--json'])).stdout);
    expect(others).toEqual([]);
    expect(club).toMatchObject({
      roomId,
      name: 'Book club',
      myRole: 'member',
      gone: false,
      verified: true,
      warning: null,
    });
    expect(club!.members).toEqual([
      expect.objectContaining({ username: 'alice', role: 'admin', me: false, check: 'contact' }),
      expect.objectContaining({ username: 'bob', role: 'member', me: true, check: 'you' }),
    ]);

    expect(ok(await as('bob', ['send', 'book CLUB', 'hello the club'])).stdout).toBe('Sent to Book club (#1).\n');
    const read = jsonLines(ok(await as('alice', ['read', 'Book club', '--json'])).stdout);
    expect(read.map((entry) => [entry.state, entry.from, entry.text])).toEqual([
      ['notice', 'alice', 'You created the group'],
      ['sent', 'bob', 'hello the club'],
    ]);
    expect(read[1]).toMatchObject({ with: 'Book club', group: true, roomId, mine: false });
    expect(ok(await as('alice', ['read', roomId, '--limit', '1'])).stdout).toMatch(/ {2}bob: hello the club\n$/);

    const unknown = await as('alice', ['send', 'Chess club', 'anyone?']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('Chess club is neither one of your friends nor a group you are in.\n');
  }, 90_000);

  it('reaches an onion only through SOCKS, handing tor the name (socks5h), HTTP and WebSocket alike', async () => {
    const socks = await startFakeSocks(server.port);
    try {
      const onion = `http://${ONION_HOST}:${server.port}`;
      const viaTor = (args: string[]) =>
        runCli(['--onion', onion, '--socks', socks.url, '--user', 'alice', '--passphrase-env', 'OC_PASS', ...args], {
          cwd: work,
          env: { OC_PASS: PASS_ALICE },
        });
      ok(await viaTor(['send', 'bob', said('through tor')]));
      expect(socks.requests.length).toBeGreaterThanOrEqual(2);
      expect(socks.requests.every((request) => request.kind === 'name' && request.host === ONION_HOST)).toBe(true);
    } finally {
      await socks.close();
    }
    const texts = jsonLines(ok(await as('bob', ['read', 'alice', '--json', '--limit', '1'])).stdout).map((m) => m.text);
    expect(texts).toEqual(['through tor']);
  }, 60_000);

  it('says when tor is not there, with the unreachable exit code', async () => {
    const closed = `socks5h://127.0.0.1:${await freePort()}`;
    const result = await runCli(
      ['--onion', `http://${ONION_HOST}`, '--socks', closed, '--user', 'alice', '--passphrase-env', 'OC_PASS', 'login'],
      { cwd: work, env: { OC_PASS: PASS_ALICE } },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toContain("Can't reach tor's SOCKS port");
  });

  it('ends its own session on exit, so sessions do not pile up', async () => {
    const sessions = jsonLines(ok(await as('alice', ['sessions', '--json'])).stdout);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ current: true });
    // A session left behind elsewhere (say, a crashed process) can be ended from here.
    const other = startCli(['--onion', server.origin, '--user', 'alice', '--passphrase-env', 'OC_PASS', 'watch'], {
      cwd: work,
      env: { OC_PASS: PASS_ALICE },
    });
    await waitForOutput(other.stderr, (text) => text.includes('Watching'));
    other.child.kill('SIGKILL');
    await other.done;
    expect(jsonLines(ok(await as('alice', ['sessions', '--json'])).stdout)).toHaveLength(2);
    expect(ok(await as('alice', ['sessions', 'end', '--others'])).stdout).toContain('Ended 1 session');
    expect(jsonLines(ok(await as('alice', ['sessions', '--json'])).stdout)).toHaveLength(1);
  }, 60_000);

  it('refuses a wrong passphrase with the log-in exit code and a sentence', async () => {
    const result = await runCli(['--onion', server.origin, '--user', 'alice', '--passphrase-env', 'OC_PASS', 'login'], {
      cwd: work,
      env: { OC_PASS: PASS_WRONG },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/passphrase/i);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an origin that is neither an onion nor this machine', async () => {
    const result = await as('alice', ['--onion', 'http://example.com', 'login']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not an onion service');
  });

  it('leaves nothing in the working directory but the fetched file', () => {
    expect(readdirSync(work)).toEqual([FETCHED]);
  });

  it('canary scan: finds a secret planted deep in a directory, as hex in a dotfile', () => {
    const planted = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-planted-'));
    try {
      mkdirSync(path.join(planted, '.config', 'onionchat'), { recursive: true });
      writeFileSync(
        path.join(planted, '.config', 'onionchat', 'state'),
        `x ${Buffer.from(PASS_ALICE).toString('hex')} x`,
      );
      // Only the fetched file itself is passed over.
      writeFileSync(path.join(planted, FETCHED), PASS_ALICE);
      writeFileSync(path.join(planted, `.${FETCHED}.part`), PASS_BOB);
      expect(findSecrets(PASSPHRASES, filesIn(planted))).toEqual([
        `passphrase "${PASS_ALICE}" found in file .config/onionchat/state`,
        `passphrase "${PASS_BOB}" found in file .${FETCHED}.part`,
      ]);
    } finally {
      rmSync(planted, { recursive: true, force: true });
    }
  });

  it("canary scan: no secret in the working directory (the CLI's HOME too) nor in anything printed", async () => {
    const keys = [...(await identitySecrets('alice', PASS_ALICE)), ...(await identitySecrets('bob', PASS_BOB))];
    // A key wiped before it was copied would be all zeros, and found nowhere.
    expect(keys.every((key) => key.bytes.some((byte) => byte !== 0))).toBe(true);
    const sent = rememberedSecrets();
    expect(sent).toHaveLength(4 + 3); // the messages and three samples of the file
    const neverShown = [...PASSPHRASES, ...keys, SESSION_COOKIE_MARK];
    // The messages are rightly in `read`'s output: proof the recorded output is what is searched.
    expect(findSecrets(sent, printed).length).toBeGreaterThan(0);
    // cli-process runs every command with HOME set to its working directory.
    expect([...findSecrets([...neverShown, ...sent], filesIn(work)), ...findSecrets(neverShown, printed)]).toEqual([]);
  }, 60_000);
});
