// Scanning a safety number with the camera. Chromium's fake camera plays a Y4M file the
// test draws from a real QR code: Bob's code as his page draws it (a match, then
// verified), or another safety-number code (a mismatch, and not verified). The camera
// track is stopped once a code is read. Firefox ESR with Tor Browser's preferences has no
// camera headless: the dialog then does not promise scanning, and logs no error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import type { Browser, Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { findTor } from '@onionchat/tor';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { logInAt, signUpAt } from './support/pages.js';
import { acceptRequest, openConversation, requestFriend } from './support/chat-steps.js';
import { FIREFOX_PATH, launchFirefox, type FirefoxPerson } from './support/firefox.js';
import * as ff from './support/firefox-steps.js';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import { WAIT_MS } from './support/wait.js';

const PASS = { alice: 'she holds up her phone camera', bob: 'he shows his safety code' };
const WIDTH = 640;
const HEIGHT = 480;

/** Dark modules of a QR code, as rows of booleans. */
type Matrix = boolean[][];

/** A Y4M video (4:2:0, grey chroma) of `matrix` drawn black on white in the middle, a few identical frames. */
function y4m(matrix: Matrix): Buffer {
  const n = matrix.length;
  const scale = Math.floor((HEIGHT * 0.8) / (n + 8));
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
  const left = Math.floor((WIDTH - n * scale) / 2);
  const top = Math.floor((HEIGHT - n * scale) / 2);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!matrix[row]![col]) continue;
      for (let y = 0; y < scale; y++)
        luma.fill(
          16,
          (top + row * scale + y) * WIDTH + left + col * scale,
          (top + row * scale + y) * WIDTH + left + (col + 1) * scale,
        );
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]);
}

/** The modules of the QR code a page drew (QrCodeSvg: one "M{x} {y}h1v1h-1z" per dark module, 4 quiet). */
async function matrixShown(page: Page, testId: string): Promise<Matrix> {
  const svg = page.getByTestId(testId);
  await svg.locator('path[d^="M"]').waitFor({ timeout: WAIT_MS });
  const box = (await svg.getAttribute('viewBox'))!.split(' ').map(Number);
  const n = box[2]! - 8;
  const matrix: Matrix = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  const d = (await svg.locator('path').getAttribute('d'))!;
  for (const [, x, y] of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) matrix[Number(y) - 4]![Number(x) - 4] = true;
  return matrix;
}

/** A valid-looking safety-number code (version 2, 61 bytes) that is nobody's. */
function otherCode(): Matrix {
  const bytes = Uint8Array.from([2, ...randomBytes(60)]);
  const code = QRCode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' });
  const n = code.modules.size;
  return Array.from({ length: n }, (_, row) =>
    Array.from({ length: n }, (_, col) => Boolean(code.modules.get(row, col))),
  );
}

/** Records every camera stream the page is given, so the test can see it stopped. */
const RECORD_STREAMS = () => {
  // Only pages that can ask for a camera (not the first blank page).
  if (!navigator.mediaDevices?.getUserMedia) return;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  const streams: MediaStream[] = [];
  (window as unknown as { cameraStreams: MediaStream[] }).cameraStreams = streams;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
};

const trackStates = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { cameraStreams: MediaStream[] }).cameraStreams.flatMap((s) =>
      s.getTracks().map((t) => t.readyState),
    ),
  );

/** Alice in a Chromium whose camera shows `video`. */
async function aliceWithCamera(dir: string, name: string, video: Buffer, origin: string) {
  const file = path.join(dir, name);
  writeFileSync(file, video);
  const browser = await launchBrowser([
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
  ]);
  const context = await browser.newContext();
  await context.addInitScript(RECORD_STREAMS);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await logInAt(page, origin, 'alice', PASS.alice);
  await page.waitForURL(/\/chat\/$/);
  await openConversation(page, 'bob');
  return { browser, page, errors };
}

describe('scanning a safety number in Chromium with a camera', () => {
  let server: ServerProcess;
  let browser: Browser;
  let bob: Page;
  let bobCode: Matrix;
  const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-qr-scan-'));
  const extra: Browser[] = [];

  beforeAll(async () => {
    server = await startServer({ REGISTRATION: 'open' });
    browser = await launchBrowser();
    const alice = await (await browser.newContext()).newPage();
    bob = await (await browser.newContext()).newPage();
    await signUpAt(alice, `${server.origin}/signup/`, 'alice', PASS.alice);
    await signUpAt(bob, `${server.origin}/signup/`, 'bob', PASS.bob);
    await requestFriend(alice, 'bob');
    await acceptRequest(bob, 'alice');
    await openConversation(bob, 'alice');
    await bob.getByTestId('verify-button').click();
    bobCode = await matrixShown(bob, 'safety-qr');
    await alice.context().close();
  }, 180_000);

  afterAll(async () => {
    for (const one of extra) await one.close();
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads Bob’s code, says it matches, and marks him verified; the camera is stopped', async () => {
    const alice = await aliceWithCamera(dir, 'bob.y4m', y4m(bobCode), server.origin);
    extra.push(alice.browser);
    const { page } = alice;
    await page.getByTestId('verify-button').click();
    const dialog = page.getByTestId('safety-number-dialog');
    await dialog.getByTestId('safety-number').waitFor();
    await expect.poll(() => dialog.getByTestId('safety-how').textContent()).toMatch(/scan the code on bob’s screen/);
    await dialog.getByRole('button', { name: 'Scan with camera' }).click();
    await dialog.getByTestId('safety-scan-match').waitFor({ timeout: 30_000 });
    expect(await dialog.getByTestId('safety-scan-match').textContent()).toMatch(/The code matches/);
    expect(await trackStates(page)).toEqual(['ended']);
    expect(await dialog.locator('video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
    await dialog.getByRole('button', { name: 'Mark as verified' }).click();
    await page.getByTestId('verified-badge').waitFor();
    expect(alice.errors).toEqual([]);
  }, 120_000);

  it('warns about a code that is not Bob’s, and does not verify him', async () => {
    const alice = await aliceWithCamera(dir, 'other.y4m', y4m(otherCode()), server.origin);
    extra.push(alice.browser);
    const { page } = alice;
    // The last test verified bob: clear it, so a wrong code has something to leave alone.
    await page.getByTestId('verify-button').click();
    const dialog = page.getByTestId('safety-number-dialog');
    await dialog.getByRole('button', { name: 'Clear verification' }).click();
    await page.getByTestId('verified-badge').waitFor({ state: 'detached' });

    await page.getByTestId('verify-button').click();
    await dialog.getByTestId('safety-number').waitFor();
    await dialog.getByRole('button', { name: 'Scan with camera' }).click();
    const warning = dialog.getByTestId('safety-scan-mismatch');
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.getByRole('alert').textContent()).toMatch(
      /This code does not match your safety number with bob\. Do not mark bob as verified/,
    );
    expect(await trackStates(page)).toEqual(['ended']);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('verified-badge').count()).toBe(0);

    expect(alice.errors).toEqual([]);
  }, 120_000);

  it('turns the camera off when the dialog closes mid-scan', async () => {
    const alice = await aliceWithCamera(dir, 'blank.y4m', y4m([]), server.origin);
    extra.push(alice.browser);
    const { page } = alice;
    await page.getByTestId('verify-button').click();
    const dialog = page.getByTestId('safety-number-dialog');
    await dialog.getByTestId('safety-number').waitFor();
    await dialog.getByRole('button', { name: 'Scan with camera' }).click();
    await dialog.getByText('Hold the code in front of the camera.').waitFor();
    expect(await trackStates(page)).toEqual(['live']);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => trackStates(page)).toEqual(['ended']);
    expect(await page.getByTestId('verified-badge').count()).toBe(0);
    expect(alice.errors).toEqual([]);
  }, 120_000);
});

// Without tor or Firefox ESR this cannot run; CI installs both, so there it must.
describe.skipIf((!findTor() || !existsSync(FIREFOX_PATH)) && !process.env.CI)(
  'the safety-number dialog in Firefox ESR with Tor Browser’s preferences, without a camera',
  () => {
    let site: OnionSite | undefined;
    let people: FirefoxPerson[] = [];

    beforeAll(async () => {
      site = await startOnionSite('qr-scan');
    }, TOR_TIMEOUT + 60_000);

    afterAll(async () => {
      for (const one of people) await one.close();
      await site?.stop();
    });

    it('does not offer scanning, promises none, and logs no error', async () => {
      const origin = site!.origin;
      people = await Promise.all([
        launchFirefox('Safer', site!.testnet.socksPort),
        launchFirefox('Safer', site!.testnet.socksPort),
      ]);
      const [ann, ben] = people.map((one) => one.page) as [PuppeteerPage, PuppeteerPage];
      const errors: string[] = [];
      for (const page of [ann, ben]) {
        page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        page.on('pageerror', (e) => errors.push(String(e)));
      }
      await Promise.all([
        ff.signUpAt(ann, `${origin}/signup/`, 'qr_ann', 'ann has no camera at all', 180_000),
        ff.signUpAt(ben, `${origin}/signup/`, 'qr_ben', 'ben has no camera either', 180_000),
      ]);
      await ff.requestFriend(ann, 'qr_ben');
      await ff.acceptRequest(ben, 'qr_ann', 180_000);
      await ff.openConversation(ann, 'qr_ben', 180_000);
      await ann.locator('[data-testid=verify-button]').click();
      await ann.waitForSelector('[data-testid=safety-number]', { timeout: 180_000 });
      const shown = await ann.$eval('[data-testid=safety-number-dialog]', (dialog) => ({
        how: dialog.querySelector('[data-testid=safety-how]')?.textContent ?? '',
        text: dialog.textContent ?? '',
        scanButton: Array.from(dialog.querySelectorAll('button')).some((b) => b.textContent === 'Scan with camera'),
      }));
      if (shown.scanButton) {
        // The browser lists a camera (Firefox's fingerprinting resistance shows a stand-in
        // one), so the button is there: pressing it must explain, in a sentence, why there
        // is no picture, and leave the dialog as it was.
        const button = (await ann.$('[data-testid=safety-scan] button'))!;
        expect(await button.evaluate((b) => b.textContent)).toBe('Scan with camera');
        await button.click();
        const alert = await ann.waitForSelector('[data-testid=safety-scan] [role=alert] span', { timeout: 30_000 });
        expect(await alert!.evaluate((el) => el.textContent)).toMatch(
          /^(The camera was not allowed\.|No camera was found on this device\.)/,
        );
        expect(await ann.$$eval('[data-testid=safety-scan] button', (bs) => bs.map((b) => b.textContent))).toEqual([
          'Scan with camera',
        ]);
        const outcomes = '[data-testid=safety-scan-match], [data-testid=safety-scan-mismatch]';
        expect(await ann.$$eval(outcomes, (found) => found.length)).toBe(0);
      } else {
        expect(shown.how).toMatch(/^Compare the digits/);
        expect(shown.text).not.toMatch(/scan|camera/i);
      }
      expect(errors).toEqual([]);
    }, 600_000);
  },
);
