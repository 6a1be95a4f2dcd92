// The core journeys in the engine people actually use: Firefox ESR with Tor Browser's
// preferences, reaching the real server only as an onion service of a private Tor
// network, at Tor Browser's Standard and Safer levels (Safer: no JIT, no WebAssembly, so
// tweetnacl runs interpreted and every step is slow). Each person has their own browser,
// a fresh private profile, so logging in again from a new browser is the real thing.
// At Safest (no JavaScript) the page explains what to do. One Tor network and one
// server serve the whole file; stopping the server runs the privacy scan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';
import { findTor, type Testnet } from '@onionchat/tor';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import { FIREFOX_PATH, launchFirefox, type FirefoxPerson, type SecurityLevel } from './support/firefox.js';
import { outputAfterStart, type ServerProcess } from './support/server.js';
import {
  acceptRequest,
  downloadFile,
  expectConversation,
  logInAt,
  openConversation,
  previewWidth,
  requestFriend,
  safetyDigits,
  sendFile,
  sendText,
  signUpAt,
} from './support/firefox-steps.js';

// Interpreted Ed25519 costs about 100 ms a signature or check at Safer, and a sign-up,
// a log-in or a page of messages needs many; over tor on top.
const SLOW_MS = 180_000;
const JOURNEY_MS = 600_000;

let site: OnionSite | undefined;
let testnet: Testnet;
let server: ServerProcess;
let onionOrigin: string;
const foreign: string[] = [];
let requestsSeen = 0;

/** A real PNG of `width`×2 random pixels (random, so the privacy scan can look for it). */
function png(width: number): Buffer {
  const image = new PNG({ width, height: 2 });
  image.data.set(randomBytes(image.data.length));
  return PNG.sync.write(image);
}

async function person(level: SecurityLevel): Promise<FirefoxPerson> {
  const one = await launchFirefox(level, testnet.socksPort);
  one.page.on('request', (request) => {
    const url = request.url();
    requestsSeen += 1;
    if (!url.startsWith(`${onionOrigin}/`) && !/^(blob|data|about):/.test(url)) foreign.push(url);
  });
  return one;
}

// Without tor or Firefox ESR this cannot run; CI installs both, so there it must.
describe.skipIf((!findTor() || !existsSync(FIREFOX_PATH)) && !process.env.CI)(
  'Firefox ESR with Tor Browser’s preferences, over the onion',
  () => {
    beforeAll(async () => {
      site = await startOnionSite('firefox');
      ({ server, testnet, origin: onionOrigin } = site);
    }, TOR_TIMEOUT + 60_000);

    afterAll(async () => {
      await site?.stop();
    });

    describe.each(['Standard', 'Safer'] as const)('at %s', (level) => {
      const tag = level === 'Standard' ? 'std' : 'safer';
      const ann = { name: `ff_${tag}_ann`, pass: `ann browses at ${level} over tor` };
      const ben = { name: `ff_${tag}_ben`, pass: `ben browses at ${level} over tor` };
      let a: FirefoxPerson;
      let b: FirefoxPerson;
      const said: string[] = [];

      beforeAll(async () => {
        [a, b] = await Promise.all([person(level), person(level)]);
      });
      afterAll(async () => {
        await Promise.all([a?.close(), b?.close()]);
        for (const one of [a, b]) if (one) rmSync(one.downloadDir, { recursive: true, force: true });
      });

      it('runs with the level’s engine settings, in a secure context without service workers', async () => {
        await a.page.goto(`${onionOrigin}/`);
        const engine = await a.page.evaluate(() => ({
          secure: window.isSecureContext,
          webCrypto: typeof crypto.subtle?.importKey,
          wasm: typeof (globalThis as { WebAssembly?: unknown }).WebAssembly,
          serviceWorker: 'serviceWorker' in navigator,
        }));
        expect(engine).toEqual({
          secure: true,
          webCrypto: 'function',
          wasm: level === 'Safer' ? 'undefined' : 'object',
          serviceWorker: false,
        });
      });

      it(
        'signs up two people, who befriend each other',
        async () => {
          await Promise.all([
            signUpAt(a.page, `${onionOrigin}/signup/`, ann.name, ann.pass, SLOW_MS),
            signUpAt(b.page, `${onionOrigin}/signup/`, ben.name, ben.pass, SLOW_MS),
          ]);
          await requestFriend(a.page, ben.name);
          await acceptRequest(b.page, ann.name, SLOW_MS);
          await Promise.all([openConversation(a.page, ben.name, SLOW_MS), openConversation(b.page, ann.name, SLOW_MS)]);
        },
        JOURNEY_MS,
      );

      it(
        'chats live both ways',
        async () => {
          said.push(`hello ben, ann at ${level}`);
          await sendText(a.page, said.at(-1)!);
          await expectConversation(b.page, said, SLOW_MS);
          said.push(`hello ann, ben at ${level}`);
          await sendText(b.page, said.at(-1)!);
          await expectConversation(a.page, said, SLOW_MS);
        },
        JOURNEY_MS,
      );

      it(
        'delivers, once, what was sent while one browser was closed; log-in from a fresh profile',
        async () => {
          await b.close();
          said.push(`while your browser was closed at ${level}`);
          await sendText(a.page, said.at(-1)!);
          await expect
            .poll(() => a.page.$$eval('[data-testid=message][data-mine=true][data-state=sent]', (els) => els.length), {
              timeout: SLOW_MS,
            })
            .toBe(2);
          rmSync(b.downloadDir, { recursive: true, force: true });
          b = await person(level);
          await logInAt(b.page, onionOrigin, ben.name, ben.pass, SLOW_MS);
          await openConversation(b.page, ann.name, SLOW_MS);
          await expectConversation(b.page, said, SLOW_MS);
          said.push(`back in a new browser at ${level}`);
          await sendText(b.page, said.at(-1)!);
          await expectConversation(a.page, said, SLOW_MS);
        },
        JOURNEY_MS,
      );

      it(
        'sends a file that arrives byte-identical, with its image preview',
        async () => {
          const image = png(3);
          const name = `picture-${tag}.png`;
          await sendFile(a.page, name, image, SLOW_MS);
          expect(await previewWidth(b.page, name, SLOW_MS)).toBe(3);
          const received = await downloadFile(b.page, b.downloadDir, name, SLOW_MS);
          expect(received.equals(image)).toBe(true);
        },
        JOURNEY_MS,
      );

      it(
        'shows both people the same safety number',
        async () => {
          const forAnn = await safetyDigits(a.page, SLOW_MS);
          expect(forAnn).toMatch(/^(\d{5} ){11}\d{5}$/);
          expect(await safetyDigits(b.page, SLOW_MS)).toBe(forAnn);
        },
        JOURNEY_MS,
      );
    });

    it('at Safest, explains that OnionChat needs JavaScript and how to get it', async () => {
      const one = await person('Safest');
      try {
        await one.page.goto(`${onionOrigin}/`);
        const text = await one.page.evaluate(() => document.body.innerText);
        expect(text).toContain('OnionChat needs JavaScript');
        expect(text).toMatch(/select Safer \(or Standard\), then reload this page/);
      } finally {
        await one.close();
        rmSync(one.downloadDir, { recursive: true, force: true });
      }
    });

    it('made no request to any origin but the onion', () => {
      expect(requestsSeen).toBeGreaterThan(50);
      expect(foreign).toEqual([]);
    });

    it('logs no client address and no message text', () => {
      expect(server.output()).not.toMatch(/while your browser was closed/);
      expect(outputAfterStart(server)).not.toMatch(/\b\d{1,3}(\.\d{1,3}){3}\b|::ffff:/);
    });
  },
);
