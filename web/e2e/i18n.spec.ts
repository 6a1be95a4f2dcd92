// The interface in the reader's language, right to left where the language is written so.
// Chromium with Persian as the browser language goes through the core journey (landing,
// sign-up, log-in, befriending, a message each way) and the page is Persian and mirrored;
// the language switcher goes to English and back; Arabic is right to left too. Firefox ESR
// with Tor Browser's fingerprinting protection (it reports en-US to every site) starts in
// English and its switcher changes the language. The chat page speaks Persian too: its
// list, composer, message toolbar (whose arrow keys follow the mirrored order), delivery
// words and settings dialog, and its own language switcher sits in the sidebar. The
// sentences the client core makes (a timer's notice) are Persian too, and worded again
// when the language changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import ar from '../src/i18n/locales/ar.json' with { type: 'json' };
import en from '../src/i18n/locales/en.json' with { type: 'json' };
import fa from '../src/i18n/locales/fa.json' with { type: 'json' };
import faAccount from '../src/i18n/locales/core/account.fa.json' with { type: 'json' };
import faConversation from '../src/i18n/locales/core/conversation.fa.json' with { type: 'json' };
import faMessenger from '../src/i18n/locales/messenger/fa.json' with { type: 'json' };
import { launchBrowser } from './support/browser.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { FIREFOX_PATH } from './support/firefox.js';
import { fillAndSubmit } from './support/pages.js';
import { startServer, type ServerProcess } from './support/server.js';
import { WAIT_MS } from './support/wait.js';

/** The chat page's words: the first load's and the messenger chunk's. */
const faChat = { ...faMessenger.chat, ...fa.chat };

const SARA_PASS = 'pomegranate courtyard evening tea';
const DARIUS_PASS = 'mountain river lantern quietly';

let server: ServerProcess;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh profile whose browser language is `locale` (navigator.languages and Accept-Language). */
async function visitor(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  contexts.push(context);
  return context.newPage();
}

const documentLanguage = (page: Page) =>
  page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));

const heading = (page: Page) => page.locator('main h1').first().textContent();

async function expectLanguage(page: Page, lang: string, dir: 'ltr' | 'rtl'): Promise<void> {
  await expect.poll(() => documentLanguage(page), { timeout: WAIT_MS }).toEqual({ lang, dir });
}

async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not on screen`);
  return found;
}

const centre = (b: { x: number; width: number }) => b.x + b.width / 2;

async function signUp(page: Page, username: string, passphrase: string): Promise<void> {
  await page.goto(`${server.origin}/signup/`);
  await expectLanguage(page, 'fa', 'rtl');
  await expect.poll(() => heading(page)).toBe(fa.signup.title);
  await expect.poll(() => page.locator('label[for=passphrase-confirm]').textContent()).toBe(fa.signup.confirm);
  // The form's rules, which the client core checks, in Persian too.
  await page.fill('#username', `1${username}`);
  await page.press('#username', 'Tab');
  await expect
    .poll(() => page.locator('#username-feedback').textContent())
    .toBe(faAccount['account.rules.usernameStart']);
  await page.fill('#passphrase', 'short one');
  await expect
    .poll(() => page.locator('#passphrase-feedback').textContent())
    .toBe(faAccount['account.rules.passphraseTooShort'].replace('{{min}}', '12'));
  await fillAndSubmit(page, { '#username': username, '#passphrase': passphrase, '#passphrase-confirm': passphrase });
  await page.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
}

describe('Persian, right to left (Chromium, browser language fa-IR)', () => {
  let sara: Page;
  let darius: Page;

  it('shows the landing page in Persian, mirrored, and the switcher goes to English and back', async () => {
    sara = await visitor('fa-IR');
    await sara.goto(`${server.origin}/`);
    await expectLanguage(sara, 'fa', 'rtl');
    await expect.poll(() => heading(sara)).toBe(fa.landing.title);
    await expect.poll(() => sara.locator('.site-footer').textContent()).toBe(fa.layout.footer);
    const switcher = sara.getByTestId('language-switcher');
    expect(await switcher.inputValue()).toBe('fa');
    // Mirrored: the brand starts at the right edge of the header, the navigation sits left of it.
    expect(centre(await box(sara, '.brand'))).toBeGreaterThan(centre(await box(sara, '.site-nav')));

    await switcher.selectOption('en');
    await expectLanguage(sara, 'en', 'ltr');
    await expect.poll(() => heading(sara)).toBe(en.landing.title);
    expect(centre(await box(sara, '.brand'))).toBeLessThan(centre(await box(sara, '.site-nav')));

    await switcher.selectOption('fa');
    await expectLanguage(sara, 'fa', 'rtl');
    await expect.poll(() => heading(sara)).toBe(fa.landing.title);
    // The choice is kept in memory only: nothing in the browser's storage.
    const stored = await sara.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
    expect(stored).toBe(0);
  });

  it('signs two people up in Persian', async () => {
    await signUp(sara, 'sara', SARA_PASS);
    darius = await visitor('fa-IR');
    await signUp(darius, 'darius', DARIUS_PASS);
    await expectLanguage(sara, 'fa', 'rtl');
  });

  it('befriends and exchanges messages on a mirrored chat page', async () => {
    await requestFriend(sara, 'darius');
    await acceptRequest(darius, 'sara');
    await openConversation(sara, 'darius');
    await sendText(sara, 'سلام داریوش! hello from sara');
    await openConversation(darius, 'sara');
    await expectConversation(darius, ['سلام داریوش! hello from sara']);
    await sendText(darius, 'درود سارا');
    await expectConversation(sara, ['سلام داریوش! hello from sara', 'درود سارا']);

    await expectLanguage(sara, 'fa', 'rtl');
    await expect
      .poll(() => sara.locator('.conversation-sub-text').first().textContent())
      .toBe(faChat.conversation.encrypted);
    // The conversation list is on the right, the conversation on the left.
    expect(centre(await box(sara, '.chat-sidebar'))).toBeGreaterThan(centre(await box(sara, '.chat-main')));
    // Own messages at the inline end (left in right-to-left), the other person's at the start (right).
    const main = centre(await box(sara, '.chat-main'));
    const mine = await box(sara, '[data-testid=message][data-mine=true] .bubble');
    const theirs = await box(sara, '[data-testid=message][data-mine=false] .bubble');
    expect(centre(mine)).toBeLessThan(main);
    expect(centre(theirs)).toBeGreaterThan(main);
  });

  it('shows the chat page in Persian: list, composer, delivery words, toolbar and settings', async () => {
    await expect.poll(() => sara.locator('h1.visually-hidden').textContent()).toBe(faChat.pageHeading);
    expect(await sara.locator('#friends-title').textContent()).toBe(faChat.sidebar.conversations);
    expect(await sara.getByTestId('search-button').locator('span').textContent()).toBe(faChat.sidebar.search);
    expect(await sara.locator('label[for=friend-username]').textContent()).toBe(faChat.addFriend.title);
    expect(await sara.getByTestId('notification-settings-button').textContent()).toBe(faChat.sidebar.settings);
    expect(await sara.locator('.chat-sidebar [data-testid=language-switcher]').inputValue()).toBe('fa');
    // Darius's list previews his own last message the Persian way.
    await expect
      .poll(() => darius.locator('[data-testid=friend] .friend-preview').first().textContent())
      .toBe(faChat.preview.textMine.replace('{{text}}', 'درود سارا'));
    expect(await sara.getAttribute('#composer', 'placeholder')).toBe(
      faChat.composer.placeholder.replace('{{name}}', 'darius'),
    );
    // Darius has the conversation open, so his signed receipt says he read it.
    const delivery = sara.locator('[data-testid=message][data-mine=true] [data-testid=delivery]').first();
    await expect.poll(() => delivery.textContent(), { timeout: WAIT_MS }).toBe(faChat.delivery.read);

    // The toolbar of Sara's own message, in Persian.
    const toolbar = sara.locator('[data-testid=message][data-mine=true] [data-testid=message-toolbar]').first();
    expect(await toolbar.getAttribute('aria-label')).toBe(
      faChat.actions.toolbar.replace('{{name}}', faChat.conversation.you),
    );
    const labels = await toolbar
      .locator(':scope > button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
    expect(labels).toEqual([faChat.actions.react, faChat.actions.reply, faChat.actions.edit, faChat.actions.delete]);
    // Right to left, ArrowLeft goes on to the next button and ArrowRight back.
    const focused = () => sara.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
    await toolbar.locator(':scope > button').first().focus();
    expect(await focused()).toBe(faChat.actions.react);
    await sara.keyboard.press('ArrowLeft');
    expect(await focused()).toBe(faChat.actions.reply);
    await sara.keyboard.press('ArrowLeft');
    expect(await focused()).toBe(faChat.actions.edit);
    await sara.keyboard.press('ArrowRight');
    expect(await focused()).toBe(faChat.actions.reply);
    await sara.keyboard.press('ArrowRight');
    await sara.keyboard.press('ArrowRight');
    expect(await focused()).toBe(faChat.actions.delete);
    await sara.keyboard.press('Escape');

    // The settings dialog.
    await sara.getByTestId('notification-settings-button').click();
    const settings = sara.getByTestId('notification-settings');
    await settings.waitFor({ timeout: WAIT_MS });
    expect(await settings.locator('h2').textContent()).toBe(faChat.sidebar.settings);
    expect(await settings.locator('h3').allTextContents()).toEqual([
      faChat.settings.notifications,
      faChat.settings.receipts,
    ]);
    expect(await settings.getByTestId('read-receipts').locator('xpath=..').textContent()).toContain(
      faChat.receipts.label,
    );
    await settings.getByRole('button', { name: faChat.settings.done }).click();
    await settings.waitFor({ state: 'hidden', timeout: WAIT_MS });
  });

  it('words the core’s notices in Persian: a timer set by Sara, as both of them see it', async () => {
    await sara.getByRole('button', { name: faChat.conversation.optionsFor.replace('{{name}}', 'darius') }).click();
    await sara.getByRole('button', { name: faChat.conversation.disappearing, exact: true }).click();
    const dialog = sara.getByTestId('disappearing-dialog');
    await dialog.locator('input[type=radio][value="604800"]').check();
    await dialog.getByRole('button', { name: faChat.disappearing.save }).click();
    await dialog.waitFor({ state: 'hidden', timeout: WAIT_MS });

    // "1 week" the Persian way (Intl); values keep their own direction inside the right-to-left sentence.
    const isolated = (value: string) => `\u2068${value}\u2069`;
    const week = new Intl.NumberFormat('fa', { style: 'unit', unit: 'week', unitDisplay: 'long' }).format(1);
    const notices = (page: Page) => page.locator('[data-testid=timer-notice] > span').allTextContents();
    await expect
      .poll(() => notices(sara), { timeout: WAIT_MS })
      .toEqual([faConversation['conversation.timer.setMine'].replace('{{duration}}', isolated(week))]);
    await expect
      .poll(() => notices(darius), { timeout: WAIT_MS })
      .toEqual([
        faConversation['conversation.timer.set']
          .replace('{{name}}', isolated('sara'))
          .replace('{{duration}}', isolated(week)),
      ]);

    // Back to English, the notice already on screen is worded again.
    const switcher = sara.locator('.chat-sidebar [data-testid=language-switcher]');
    await switcher.selectOption('en');
    await expect.poll(() => notices(sara), { timeout: WAIT_MS }).toEqual(['You set disappearing messages to 1 week']);
    await switcher.selectOption('fa');
    await expect
      .poll(() => notices(sara), { timeout: WAIT_MS })
      .toEqual([faConversation['conversation.timer.setMine'].replace('{{duration}}', isolated(week))]);
  });

  it('logs in again from a fresh browser in Persian', async () => {
    const again = await visitor('fa-IR');
    await again.goto(`${server.origin}/login/`);
    await expectLanguage(again, 'fa', 'rtl');
    await expect.poll(() => heading(again)).toBe(fa.login.title);
    await expect.poll(() => again.locator('label[for=username]').textContent()).toBe(fa.login.username);
    await fillAndSubmit(again, { '#username': 'sara', '#passphrase': SARA_PASS });
    await again.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
    await expectLanguage(again, 'fa', 'rtl');
    await openConversation(again, 'darius');
    await expectConversation(again, ['سلام داریوش! hello from sara', 'درود سارا']);
  });
});

describe('Arabic', () => {
  it('is right to left, in Arabic, from the browser language ar-EG', async () => {
    const page = await visitor('ar-EG');
    await page.goto(`${server.origin}/login/`);
    await expectLanguage(page, 'ar', 'rtl');
    await expect.poll(() => heading(page), { timeout: WAIT_MS }).toBe(ar.login.title);
    expect(await page.getByTestId('language-switcher').inputValue()).toBe('ar');
    await expect.poll(() => page.title(), { timeout: WAIT_MS }).toBe(`${ar.pageTitle.logIn} · OnionChat`);
  });
});

// Firefox ESR is Tor Browser's engine; with privacy.resistFingerprinting it reports en-US
// whatever the person's language, so the switcher is how they change it.
describe.skipIf(!existsSync(FIREFOX_PATH) && !process.env.CI)('Firefox ESR', () => {
  it('starts in English and switches to Persian and back', async () => {
    const firefox = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      extraPrefsFirefox: {
        // What Tor Browser reports to every site, whatever its own language.
        'privacy.resistFingerprinting': true,
        'intl.accept_languages': 'en-US, en',
        'browser.privatebrowsing.autostart': true,
      },
    });
    try {
      const page = (await firefox.pages())[0] ?? (await firefox.newPage());
      page.setDefaultTimeout(WAIT_MS);
      await page.goto(`${server.origin}/`);
      const state = () =>
        page.evaluate(() => ({
          lang: document.documentElement.lang,
          dir: document.documentElement.dir,
          title: document.querySelector('main h1')?.textContent ?? '',
        }));
      await expect.poll(state, { timeout: WAIT_MS }).toEqual({ lang: 'en', dir: 'ltr', title: en.landing.title });
      await page.waitForSelector('[data-testid=language-switcher]');
      await page.select('[data-testid=language-switcher]', 'fa');
      await expect.poll(state, { timeout: WAIT_MS }).toEqual({ lang: 'fa', dir: 'rtl', title: fa.landing.title });
      await page.select('[data-testid=language-switcher]', 'en');
      await expect.poll(state, { timeout: WAIT_MS }).toEqual({ lang: 'en', dir: 'ltr', title: en.landing.title });
    } finally {
      await firefox.close();
    }
  });
});
