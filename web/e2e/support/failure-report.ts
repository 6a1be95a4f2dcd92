// What a failed browser test leaves behind, printed beside the failure: each open page's
// address, visible text and last console lines, and the server's last output lines. A
// timeout in CI says little on its own; this says what the person would have seen.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Browser as PuppeteerBrowser, Page as PuppeteerPage } from 'puppeteer-core';

const KEEP_LINES = 25;
const TEXT_CHARS = 1500;

const browsers = new Set<Browser>();
const servers = new Set<() => string>();
const puppeteerBrowsers = new Set<PuppeteerBrowser>();
const consoles = new WeakMap<Page | PuppeteerPage, string[]>();

function remember(page: Page | PuppeteerPage, line: string): void {
  const lines = consoles.get(page) ?? [];
  lines.push(line.slice(0, 300));
  if (lines.length > KEEP_LINES) lines.shift();
  consoles.set(page, lines);
}

function watchPage(page: Page): void {
  page.on('console', (message) => remember(page, `console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => remember(page, `uncaught: ${error.message}`));
}

export function watchBrowser(browser: Browser): void {
  browsers.add(browser);
  browser.on('disconnected', () => browsers.delete(browser));
}

export function watchContext(context: BrowserContext): void {
  context.on('page', watchPage);
}

/** The Firefox tests drive their browsers with puppeteer rather than playwright. */
export function watchPuppeteerPage(browser: PuppeteerBrowser, page: PuppeteerPage): void {
  puppeteerBrowsers.add(browser);
  browser.once('disconnected', () => puppeteerBrowsers.delete(browser));
  page.on('console', (message) => remember(page, `console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) =>
    remember(page, `uncaught: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** Returns a function that stops watching (when the server has stopped). */
export function watchServer(output: () => string): () => void {
  servers.add(output);
  return () => servers.delete(output);
}

async function visibleText(page: Page | PuppeteerPage): Promise<string> {
  const text = (page as Page).evaluate(() => document.body?.innerText ?? '');
  const late = new Promise<string>((resolve) => setTimeout(() => resolve('(the page did not answer)'), 2_000));
  const shown = await Promise.race([text, late]).catch((err: Error) => `(unreadable: ${err.message})`);
  const flat = shown.replace(/\s*\n\s*/g, ' | ');
  return flat.length > TEXT_CHARS ? `${flat.slice(0, TEXT_CHARS)}…` : flat;
}

export async function failureReport(): Promise<string> {
  const parts: string[] = [];
  let n = 0;
  for (const browser of browsers) {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        n += 1;
        parts.push(`page ${n}: ${page.url()}`, `  text: ${await visibleText(page)}`);
        for (const line of consoles.get(page) ?? []) parts.push(`  ${line}`);
      }
    }
  }
  for (const browser of puppeteerBrowsers) {
    for (const page of await browser.pages().catch(() => [])) {
      n += 1;
      parts.push(`page ${n} (Firefox): ${page.url()}`, `  text: ${await visibleText(page)}`);
      for (const line of consoles.get(page) ?? []) parts.push(`  ${line}`);
    }
  }
  for (const output of servers) {
    const lines = output().trimEnd().split('\n').slice(-KEEP_LINES);
    parts.push('server output, last lines:', ...lines.map((line) => `  ${line}`));
  }
  return parts.length === 0 ? '' : ['--- state at the failure ---', ...parts, '---'].join('\n');
}
