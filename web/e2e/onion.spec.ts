// OnionChat as what it claims to be: an onion site. A private Tor network on loopback
// publishes the real server as an onion service; Chromium reaches it only through the
// network's SOCKS port. Two people sign up, befriend, chat live (the WebSocket goes
// through tor too) and send a file; then they chat through the local gateway. The page talks to no
// origin but the onion, its CSP blocks injected script, and the app listens on
// 127.0.0.1 only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findTor, type Testnet } from '@onionchat/tor';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import { launchBrowser } from './support/browser.js';
import { outputAfterStart, type ServerProcess } from './support/server.js';
import { signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { downloadFile, sendFile } from './support/file-steps.js';
import { loadGatewayConfig } from '../../server/src/local-gateway/gateway.config.js';
import { startGateway, type Gateway } from '../../server/src/local-gateway/gateway.js';

let site: OnionSite | undefined;
let testnet: Testnet;
let server: ServerProcess;
let onionOrigin: string;

// Without tor this cannot run; CI installs tor, so there it must.
describe.skipIf(!findTor() && !process.env.CI)('OnionChat as an onion service', () => {
  beforeAll(async () => {
    site = await startOnionSite('onion');
    ({ server, testnet, origin: onionOrigin } = site);
  }, TOR_TIMEOUT + 60_000);

  afterAll(async () => {
    await site?.stop();
  });

  describe('through tor', () => {
    let browser: Browser;
    const people: { context: BrowserContext; page: Page }[] = [];
    const foreign: string[] = [];

    beforeAll(async () => {
      browser = await launchBrowser([
        `--proxy-server=socks5://127.0.0.1:${testnet.socksPort}`,
        // Tor Browser treats http://*.onion as a secure context (so WebCrypto exists
        // there); stock Chromium does not, so it is told to for this one origin.
        `--unsafely-treat-insecure-origin-as-secure=${onionOrigin}`,
      ]);
      for (let i = 0; i < 2; i++) {
        const context = await browser.newContext({ acceptDownloads: true });
        const page = await context.newPage();
        page.on('request', (req) => {
          if (!req.url().startsWith(`${onionOrigin}/`)) foreign.push(req.url());
        });
        people.push({ context, page });
      }
    });
    afterAll(() => browser?.close());

    it('signs up, befriends and chats live both ways over the onion', async () => {
      const [tor1, tor2] = [people[0]!, people[1]!];
      await signUpAt(tor1.page, `${onionOrigin}/signup/`, 'onion_ann', 'first onion passphrase here');
      await signUpAt(tor2.page, `${onionOrigin}/signup/`, 'onion_ben', 'second onion passphrase here');
      await requestFriend(tor1.page, 'onion_ben');
      await acceptRequest(tor2.page, 'onion_ann', 60_000);
      await openConversation(tor1.page, 'onion_ben', 60_000);
      await openConversation(tor2.page, 'onion_ann', 60_000);
      await sendText(tor1.page, 'hello over tor');
      await expectConversation(tor2.page, ['hello over tor'], 60_000);
      await sendText(tor2.page, 'and back over tor');
      await expectConversation(tor1.page, ['hello over tor', 'and back over tor'], 60_000);
    });

    it('sends an encrypted file over the onion', async () => {
      const [tor1, tor2] = [people[0]!, people[1]!];
      const bytes = randomBytes(300 * 1024);
      await sendFile(tor1.page, 'over-tor.bin', 'application/octet-stream', bytes, 120_000);
      const received = await downloadFile(tor2.page, 'over-tor.bin', 120_000);
      expect(received.equals(bytes)).toBe(true);
    });

    it('made no request to any origin but the onion', () => {
      expect(foreign).toEqual([]);
    });

    it('serves a CSP that blocks injected inline script', async () => {
      const { page } = people[0]!;
      const response = await page.goto(`${onionOrigin}/login/`);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      const outcome = await page.evaluate(
        () =>
          new Promise<{ ran: boolean; violation: string }>((resolve) => {
            document.addEventListener('securitypolicyviolation', (e) =>
              resolve({ ran: Boolean((window as { __injected?: number }).__injected), violation: e.violatedDirective }),
            );
            const script = document.createElement('script');
            script.textContent = 'window.__injected = 1';
            document.body.appendChild(script);
          }),
      );
      expect(outcome).toEqual({ ran: false, violation: expect.stringMatching(/^script-src/) });
    });
  });

  describe('through the local gateway', () => {
    let gateway: Gateway;
    let browser: Browser;

    beforeAll(async () => {
      gateway = await startGateway(
        loadGatewayConfig({
          GATEWAY_ONION: testnet.onionHostname,
          GATEWAY_SOCKS: `socks5h://127.0.0.1:${testnet.socksPort}`,
          GATEWAY_PORT: '0',
        }),
      );
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await gateway?.close();
    });

    it('signs up, befriends and chats live with the client served locally', async () => {
      const origin = `http://127.0.0.1:${gateway.port}`;
      const [one, two] = [await (await browser.newContext()).newPage(), await (await browser.newContext()).newPage()];
      await signUpAt(one, `${origin}/signup/`, 'gateway_cat', 'gateway passphrase number one');
      await signUpAt(two, `${origin}/signup/`, 'gateway_dan', 'gateway passphrase number two');
      await requestFriend(one, 'gateway_dan');
      await acceptRequest(two, 'gateway_cat', 60_000);
      await openConversation(one, 'gateway_dan', 60_000);
      await openConversation(two, 'gateway_cat', 60_000);
      await sendText(one, 'hello via the gateway');
      await expectConversation(two, ['hello via the gateway'], 60_000);
      await sendText(two, 'reply via the gateway');
      await expectConversation(one, ['hello via the gateway', 'reply via the gateway'], 60_000);
    });
  });

  it('listens on 127.0.0.1 only: another loopback address is refused', async () => {
    const port = Number(new URL(server.origin).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.2');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('logs no client address and no message text', () => {
    expect(server.output()).not.toMatch(/hello over tor|reply via the gateway/);
    expect(outputAfterStart(server)).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b|::ffff:/);
  });
});
