// Encrypted files between two browsers: a multi-megabyte file arrives byte-identical; an
// upload cut off mid-way resumes where the server stopped instead of starting over; an
// image shows a preview decrypted locally; and neither the database nor file storage
// holds the file's bytes or its name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { signUpAt } from './support/pages.js';
import { acceptRequest, openConversation, requestFriend } from './support/chat-steps.js';
import { downloadFile as download, fileCard as card, sendFile } from './support/file-steps.js';
import { dumpDatabase } from '../../server/test-support/database.js';
import { WAIT_MS } from './support/wait.js';

const MIB = 1024 * 1024;
const MARKER = randomBytes(48);
const SECRET_NAME = 'quarterly-leak-evidence.bin';

let server: ServerProcess;
let filesDir: string;
let browser: Browser;
let alice: Page;
let bob: Page;

/** Random bytes with a recognisable marker every MiB, to search storage for later. */
function fileBytes(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let at = 1000; at + MARKER.length < size; at += MIB) MARKER.copy(bytes, at);
  return bytes;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
beforeAll(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'onionchat-e2e-files-'));
  server = await startServer({ REGISTRATION: 'open', FILES_DIR: filesDir, UPLOAD_REQUEST_MAX_BYTES: String(MIB) });
  browser = await launchBrowser();
  alice = await (await browser.newContext({ acceptDownloads: true })).newPage();
  bob = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signUpAt(alice, `${server.origin}/signup/`, 'file_alice', 'alice keeps her files encrypted');
  await signUpAt(bob, `${server.origin}/signup/`, 'file_bob', 'bob downloads with care always');
  await requestFriend(alice, 'file_bob');
  await acceptRequest(bob, 'file_alice');
  await openConversation(alice, 'file_bob');
  await openConversation(bob, 'file_alice');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(filesDir, { recursive: true, force: true });
});

describe('encrypted files in the browser', () => {
  const big = fileBytes(5 * MIB + 12345);

  it('sends a multi-megabyte file that arrives byte-identical, encrypted in a worker', async () => {
    const workers: string[] = [];
    alice.on('worker', (worker) => workers.push(worker.url()));
    await sendFile(alice, SECRET_NAME, 'application/octet-stream', big);
    expect(workers.some((url) => url.startsWith(`${server.origin}/_next/static/`))).toBe(true);
    const received = await download(bob, SECRET_NAME);
    expect(received.length).toBe(big.length);
    expect(sha256(received)).toBe(sha256(big));
  });

  it('resumes an upload cut off mid-way without starting over', async () => {
    const bytes = fileBytes(4 * MIB + 777);
    const offsets: number[] = [];
    let cut = false;
    await alice.route('**/api/files/*/content?offset=*', async (route) => {
      const offset = Number(new URL(route.request().url()).searchParams.get('offset'));
      offsets.push(offset);
      if (!cut && offset > 0) {
        cut = true;
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await sendFile(alice, 'resumed.bin', 'application/octet-stream', bytes);
    await alice.unroute('**/api/files/*/content?offset=*');
    expect(cut).toBe(true);
    expect(offsets.filter((o) => o === 0)).toHaveLength(1);
    const cutAt = offsets.find((o) => o > 0)!;
    expect(offsets.filter((o) => o === cutAt)).toHaveLength(2);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    expect(sha256(await download(bob, 'resumed.bin'))).toBe(sha256(bytes));
  });

  it('previews an image, decrypted in the page', async () => {
    // A real 2×2 PNG, made by the browser itself.
    const png = await alice.screenshot({ clip: { x: 0, y: 0, width: 2, height: 2 } });
    await sendFile(alice, 'tiny.png', 'image/png', png);
    const preview = card(bob, 'tiny.png').locator('img[data-testid=file-preview]');
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: WAIT_MS })
      .toBe(2);
    expect(await preview.getAttribute('src')).toMatch(/^blob:/);
  });

  it('left neither the file bytes nor its name in the database or file storage', async () => {
    const stored = readdirSync(filesDir).map((f) => readFileSync(path.join(filesDir, f)));
    expect(stored.length).toBeGreaterThanOrEqual(3);
    const needles = [MARKER, Buffer.from(SECRET_NAME), big.subarray(0, 64), big.subarray(3 * MIB, 3 * MIB + 64)];
    for (const blob of stored) for (const needle of needles) expect(blob.includes(needle)).toBe(false);
    const dump = await dumpDatabase(server.dbUrl);
    for (const needle of needles) {
      expect(dump).not.toContain(needle.toString('hex'));
    }
    expect(dump).not.toContain(SECRET_NAME);
    expect(server.output()).not.toContain(SECRET_NAME);
  });
});
