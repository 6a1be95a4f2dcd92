// The terminal client and a browser user on the same onion site of a private Tor
// network: the terminal reaches the onion only through tor's SOCKS port (socks5h),
// signs up, befriends the browser user, chats live both ways in the full-screen UI
// (driven through a pseudo-terminal), catches up on what came while either side was
// away with its one-shot commands, and both exchange a file byte for byte. Then the
// CLI's working directory and everything it printed are searched for secrets, and
// stopping the server runs the usual privacy scan of the database, storage and logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findTor } from '@onionchat/tor';
import { runCli, type CliResult } from '../../cli/src/test-support/cli-process.js';
import { startInTerminal, type CliTerminal } from '../../cli/src/test-support/terminal.js';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import { launchBrowser } from './support/browser.js';
import { fillAndSubmit, signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, sendText } from './support/chat-steps.js';
import { downloadFile, sendFile } from './support/file-steps.js';
import { findSecrets, type Place } from './support/privacy-scan.js';
import { rememberFileBytes, rememberText, rememberedSecrets } from './support/secrets.js';

const TERM = { username: 'term_tom', passphrase: 'a terminal passphrase over tor' };
const WEB = { username: 'web_bea', passphrase: 'a browser passphrase over tor' };
const TOR_WAIT = 90_000;

let site: OnionSite | undefined;
let browser: Browser | undefined;
let page: Page;
let terminal: CliTerminal | undefined;
/** The terminal client's working directory (and HOME). */
let work: string;
/** Where the file the terminal sends lives, outside the working directory. */
let source: string;
/** Everything the terminal client printed, for the secret scan. */
const printed: string[] = [];

function cli(args: string[], stdin?: string): Promise<CliResult> {
  const socks = `socks5h://127.0.0.1:${site!.testnet.socksPort}`;
  const result = runCli(
    ['--onion', site!.origin, '--socks', socks, '--user', TERM.username, '--passphrase-env', 'OC_PASS', ...args],
    { cwd: work, env: { OC_PASS: TERM.passphrase }, stdin },
  );
  return result.then((done) => {
    printed.push(done.stdout, done.stderr);
    return done;
  });
}

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

async function onScreen(pattern: string | RegExp): Promise<void> {
  await terminal!.waitFor(pattern, TOR_WAIT);
}

// Without tor this cannot run; CI installs tor, so there it must.
describe.skipIf(!findTor() && !process.env.CI)('the terminal client over the onion, with a browser user', () => {
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-onion-work-'));
    source = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-onion-source-'));
    site = await startOnionSite('cli');
    browser = await launchBrowser([
      `--proxy-server=socks5://127.0.0.1:${site.testnet.socksPort}`,
      // Tor Browser treats http://*.onion as a secure context; stock Chromium is told to.
      `--unsafely-treat-insecure-origin-as-secure=${site.origin}`,
    ]);
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  }, TOR_TIMEOUT + 60_000);

  afterAll(async () => {
    terminal?.kill();
    await browser?.close();
    await site?.stop();
    for (const dir of [work, source]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'signs up in the terminal through tor and befriends a browser user',
    async () => {
      rememberText('passphrase', TERM.passphrase);
      await signUpAt(page, `${site!.origin}/signup/`, WEB.username, WEB.passphrase);
      const socks = `socks5h://127.0.0.1:${site!.testnet.socksPort}`;
      const signup = await runCli(
        ['--socks', socks, '--user', TERM.username, '--passphrase-env', 'OC_PASS', 'signup', `${site!.origin}/signup/`],
        { cwd: work, env: { OC_PASS: TERM.passphrase } },
      );
      printed.push(signup.stdout, signup.stderr);
      expect(ok(signup).stdout).toContain(`Signed up as ${TERM.username}`);
      expect(ok(await cli(['request', WEB.username])).stdout).toContain(`Asked ${WEB.username}`);
      await acceptRequest(page, TERM.username, TOR_WAIT);
      await openConversation(page, TERM.username, TOR_WAIT);
    },
    4 * TOR_WAIT,
  );

  it(
    'chats live both ways between the full-screen chat and the browser',
    async () => {
      const socks = `socks5h://127.0.0.1:${site!.testnet.socksPort}`;
      terminal = startInTerminal(
        ['--onion', site!.origin, '--socks', socks, '--user', TERM.username, '--passphrase-env', 'OC_PASS', 'chat'],
        { cwd: work, env: { OC_PASS: TERM.passphrase } },
      );
      await onScreen(/Connected/);
      await onScreen(WEB.username);
      await sendText(page, 'hello terminal, from the browser');
      // The only conversation is open beside the list as it arrives, so it is read at once.
      await onScreen('hello terminal, from the browser');
      terminal.type('\r');
      const reply = 'hello browser, from the terminal';
      rememberText('message', reply);
      terminal.type(`${reply}\r`);
      await expectConversation(page, ['hello terminal, from the browser', reply], TOR_WAIT);
      await sendText(page, 'seen live in the terminal');
      await onScreen('seen live in the terminal');

      terminal.type('/quit\r');
      expect(await terminal.exited).toBe(0);
      printed.push(terminal.transcript());
    },
    4 * TOR_WAIT,
  );

  it(
    'catches up on what came while either side was away',
    async () => {
      // The terminal is closed: the browser writes; the terminal reads it afterwards.
      await sendText(page, 'written while the terminal was closed');
      await expectConversation(
        page,
        [
          'hello terminal, from the browser',
          'hello browser, from the terminal',
          'seen live in the terminal',
          'written while the terminal was closed',
        ],
        TOR_WAIT,
      );
      const read = ok(await cli(['read', WEB.username, '--json', '--limit', '1'])).stdout;
      expect(JSON.parse(read.trim())).toMatchObject({
        from: WEB.username,
        text: 'written while the terminal was closed',
      });

      // The browser's tab is closed (its keys go with it): the terminal writes; the browser unlocks again and reads it.
      const context = page.context();
      await page.close();
      const offline = 'written while the browser was closed';
      rememberText('message', offline);
      ok(await cli(['send', WEB.username, '-'], `${offline}\n`));
      page = await context.newPage();
      await page.goto(`${site!.origin}/chat/`);
      await page.waitForSelector('#passphrase', { timeout: TOR_WAIT });
      await fillAndSubmit(page, { '#passphrase': WEB.passphrase });
      await page.waitForURL(/\/chat\//, { timeout: TOR_WAIT });
      await openConversation(page, TERM.username, TOR_WAIT);
      await expect
        .poll(() => page.locator('[data-testid=message-text]').allTextContents(), { timeout: TOR_WAIT })
        .toContain(offline);
    },
    4 * TOR_WAIT,
  );

  it(
    'exchanges files with the browser byte for byte',
    async () => {
      const fromTerminal = randomBytes(200 * 1024);
      rememberText('file name', 'from-terminal.bin');
      rememberFileBytes('from-terminal.bin', fromTerminal);
      writeFileSync(path.join(source, 'from-terminal.bin'), fromTerminal);
      const sent = ok(await cli(['send-file', WEB.username, path.join(source, 'from-terminal.bin')]));
      expect(sent.stderr).toMatch(/Uploading from-terminal\.bin: 100%/);
      expect((await downloadFile(page, 'from-terminal.bin', TOR_WAIT)).equals(fromTerminal)).toBe(true);

      const fromBrowser = randomBytes(150 * 1024);
      await sendFile(page, 'from-browser.bin', 'application/octet-stream', fromBrowser, TOR_WAIT);
      ok(await cli(['get-file', WEB.username, 'from-browser.bin']));
      expect(readFileSync(path.join(work, 'from-browser.bin')).equals(fromBrowser)).toBe(true);
    },
    4 * TOR_WAIT,
  );

  it(
    'verifies through tor that the onion serves this checkout’s web build',
    async () => {
      const socks = `socks5h://127.0.0.1:${site!.testnet.socksPort}`;
      const result = await runCli(['--socks', socks, 'verify-instance', site!.origin], { cwd: work });
      printed.push(result.stdout, result.stderr);
      expect(ok(result).stdout).toMatch(/^MATCH: /m);
    },
    4 * TOR_WAIT,
  );

  it('left no secret in its working directory and printed no passphrase', () => {
    const fetched = new Set(['from-browser.bin']);
    const files: Place[] = readdirSync(work, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !fetched.has(entry.name))
      .map((entry) => ({
        name: `the working directory's ${entry.name}`,
        bytes: readFileSync(path.join(entry.parentPath, entry.name)),
      }));
    expect(readdirSync(work)).toEqual(['from-browser.bin']);
    const secrets = rememberedSecrets();
    const passphrases = secrets.filter((secret) => secret.what.startsWith('passphrase'));
    expect(passphrases.length).toBe(2);
    const output: Place = { name: 'the terminal client’s output', bytes: Buffer.from(printed.join('\n')) };
    expect([...findSecrets(secrets, files), ...findSecrets(passphrases, [output])]).toEqual([]);
  });
});
