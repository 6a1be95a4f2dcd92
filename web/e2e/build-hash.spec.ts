// The account page shows the build hash of the web client as it was served: the SHA-256
// of the build manifest the browser fetched, which `npm run verify-instance` prints too.
// A server serving another manifest makes the page show that one's hash: the number is
// computed from what arrived, not built into the page.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import { openAccount, signUpAt } from './support/pages.js';
import { startServer, type ServerProcess } from './support/server.js';
import { WAIT_MS } from './support/wait.js';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out');
const MANIFEST = 'build-manifest.json';

let browser: Browser;
let honest: ServerProcess;
let other: ServerProcess;
let otherDir: string;

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  if (!existsSync(path.join(outDir, MANIFEST))) {
    throw new Error('web/out has no build manifest: build with `npm run build` (npm test does)');
  }
  otherDir = mkdtempSync(path.join(tmpdir(), 'onionchat-other-build-'));
  cpSync(outDir, otherDir, { recursive: true });
  appendFileSync(path.join(otherDir, MANIFEST), '\n');
  honest = await startServer({ REGISTRATION: 'open' });
  other = await startServer({ REGISTRATION: 'open', WEB_DIR: otherDir });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await honest?.stop();
  await other?.stop();
  if (otherDir) rmSync(otherDir, { recursive: true, force: true });
});

async function shownHash(origin: string, username: string): Promise<string> {
  const page: Page = await (await browser.newContext()).newPage();
  await signUpAt(page, `${origin}/signup/`, username, 'a build worth checking twice');
  await openAccount(page);
  const hash = page.getByTestId('build-hash');
  await hash.waitFor({ timeout: WAIT_MS });
  await expect.poll(() => page.getByText('npm run verify-instance').count()).toBeGreaterThan(0);
  return (await hash.textContent()) ?? '';
}

it('shows the SHA-256 of the build manifest the server sent', async () => {
  expect(await shownHash(honest.origin, 'hashreader')).toBe(sha256(path.join(outDir, MANIFEST)));
  expect(await shownHash(other.origin, 'otherreader')).toBe(sha256(path.join(otherDir, MANIFEST)));
});
