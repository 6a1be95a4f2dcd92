// Accessibility: every page and main state passes axe-core (WCAG 2.1 A and AA and axe's
// best practices) in light and dark colours, at desktop and phone width; the core chat
// works with the keyboard alone; new messages are announced to a screen reader; and a
// few pages pass in Firefox ESR with Tor Browser's preferences, over the onion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';
import type { Browser, Locator, Page } from 'playwright-core';
import { findTor } from '@onionchat/tor';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { fillAndSubmit, openAccount, signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { sendFile } from './support/file-steps.js';
import {
  createGroup,
  groupMenu,
  membersDialog,
  newGroupDialog,
  openGroup,
  openMembers,
} from './support/group-steps.js';
import { axeViolations, expectNoAxeViolations, formatViolations, injectAxe, type AnyPage } from './support/axe.js';
import { FIREFOX_PATH, launchFirefox, type FirefoxPerson } from './support/firefox.js';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import * as firefoxSteps from './support/firefox-steps.js';
import { WAIT_MS } from './support/wait.js';

const PASS = {
  alice: 'she reads with her ears and keys',
  bob: 'he tabs through every form he meets',
  carol: 'she came in through an invitation',
};

const SCHEMES = ['light', 'dark'] as const;
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 667 },
} as const;

let server: ServerProcess;
let browser: Browser;
let alice: Page;
let bob: Page;
let carol: Page;

/** A real PNG of random pixels (random, so the privacy scan can look for it). */
function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.set(randomBytes(image.data.length));
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  return PNG.sync.write(image);
}

/** Waits until nothing is moving (a dialog fading in would be measured half-transparent). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
}

/** axe over the page as it is now, in both colour schemes and at both widths. */
async function checkPage(page: Page, where: string): Promise<void> {
  const problems: string[] = [];
  const backgrounds = new Set<string>();
  for (const scheme of SCHEMES) {
    for (const [sizeName, size] of Object.entries(SIZES)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(size);
      await settled(page);
      backgrounds.add(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      await expectNoAxeViolations(page, `${where} (${scheme}, ${sizeName})`).catch((err: Error) =>
        problems.push(err.message),
      );
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES.desktop);
  if (problems.length > 0) throw new Error(problems.join('\n\n'));
  // The dark scheme really was applied (so its contrast was the one measured).
  expect(backgrounds.size, `${where}: one background in light and dark`).toBe(2);
}

async function newPerson(): Promise<Page> {
  const context = await browser.newContext({ viewport: SIZES.desktop });
  return context.newPage();
}

/** Client-side navigation back to the chat (a full load would forget the keys). */
async function backToChat(page: Page): Promise<void> {
  await page.click('a[href="/chat/"]');
  await page.waitForURL(/\/chat\/(#.*)?$/);
  await page.waitForSelector('[data-testid=add-friend-form]');
}

const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el
      ? {
          id: el.id,
          testId: el.getAttribute('data-testid'),
          tag: el.tagName.toLowerCase(),
          text: (el.textContent ?? '').trim().slice(0, 80),
          label: el.getAttribute('aria-label'),
        }
      : null;
  });

/** The focus ring a keyboard user sees: a real outline or a box-shadow on the focused element. */
const focusRing = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return {
      focusVisible: el.matches(':focus-visible'),
      ring: outline || (style.boxShadow !== 'none' && style.boxShadow !== ''),
    };
  });

/** Presses Tab until `target` has the focus (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 40): Promise<number> {
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`Tab never reached the element; focus is on ${JSON.stringify(await activeElement(page))}`);
}

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  browser = await launchBrowser();
  alice = await newPerson();
  bob = await newPerson();
  carol = await newPerson();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('axe-core finds nothing, in light and dark, at desktop and phone width', () => {
  it('runs axe through the driver while the page’s CSP still refuses injected scripts', async () => {
    await alice.goto(`${server.origin}/`);
    await injectAxe(alice);
    const ran = await alice.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect(await alice.evaluate(() => typeof (window as unknown as { axe?: object }).axe)).toBe('object');
  });

  it('reports what it finds: rule, impact, help and the failing element', async () => {
    await alice.goto(`${server.origin}/`);
    await alice.waitForSelector('h1');
    // Two faults made on purpose: an icon button without a name, and grey text on grey.
    await alice.evaluate(() => {
      const button = document.createElement('button');
      button.id = 'unnamed-on-purpose';
      button.append(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
      const faint = document.createElement('p');
      faint.id = 'faint-on-purpose';
      faint.textContent = 'hard to read';
      faint.style.cssText = 'color:#999;background:#aaa';
      document.getElementById('main')!.append(button, faint);
    });
    const found = await axeViolations(alice);
    expect(found.map((v) => v.id).sort()).toEqual(['button-name', 'color-contrast']);
    const report = formatViolations('a page made wrong on purpose', found);
    expect(report).toContain('button-name [critical]: Buttons must have discernible text');
    expect(report).toContain('at #unnamed-on-purpose');
    expect(report).toContain('color-contrast [serious]');
    expect(report).toContain('<p id="faint-on-purpose"');
  });

  it('the landing page, the log-in page with an error, and the missing page', async () => {
    await alice.goto(`${server.origin}/`);
    await alice.waitForSelector('h1');
    await checkPage(alice, 'landing page');

    await alice.goto(`${server.origin}/login/`);
    await fillAndSubmit(alice, { '#username': 'nobody', '#passphrase': 'not the passphrase of anyone' });
    await alice.locator('[role=alert]').filter({ hasText: /\S/ }).first().waitFor({ timeout: WAIT_MS });
    await checkPage(alice, 'log-in page with an error');

    await alice.goto(`${server.origin}/no-such-page/`);
    await alice.getByRole('heading', { name: 'Page not found' }).waitFor();
    await checkPage(alice, 'page not found');
  });

  it('the sign-up page, and the chat with no conversations', async () => {
    await alice.goto(`${server.origin}/signup/`);
    await alice.waitForSelector('#passphrase-confirm');
    await checkPage(alice, 'sign-up page');
    await signUpAt(alice, `${server.origin}/signup/`, 'alice', PASS.alice);
    await alice.getByTestId('add-friend-form').waitFor();
    await checkPage(alice, 'chat with no conversations');
  });

  it('the account page with its cards, and sign-up with an invite', async () => {
    await openAccount(alice);
    await alice.getByRole('button', { name: 'Create invite link' }).click();
    const invite = (await alice.getByTestId('invite-link').first().textContent({ timeout: WAIT_MS }))!.trim();
    await alice.getByTestId('contact-link').waitFor();
    await checkPage(alice, 'account page');

    await carol.goto(invite);
    await carol.getByTestId('inviter-note').waitFor({ timeout: WAIT_MS });
    await checkPage(carol, 'sign-up page with an invite');
    await fillAndSubmit(carol, { '#username': 'carol', '#passphrase': PASS.carol, '#passphrase-confirm': PASS.carol });
    await carol.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
    await backToChat(alice);
  });

  it('the friend-request states, sent and received', async () => {
    await signUpAt(bob, `${server.origin}/signup/`, 'bob', PASS.bob);
    await requestFriend(alice, 'bob');
    await alice.getByTestId('outgoing-request').waitFor({ timeout: WAIT_MS });
    await checkPage(alice, 'chat with a request sent');
    await bob.getByTestId('incoming-request').waitFor({ timeout: WAIT_MS });
    await checkPage(bob, 'chat with a request received');
    await acceptRequest(bob, 'alice');
  });

  it('a conversation with text, an image and a file', async () => {
    await openConversation(alice, 'bob');
    await sendText(alice, 'hello bob, can you hear this?');
    await expectConversation(bob, ['hello bob, can you hear this?']);
    await sendText(bob, 'loud and clear');
    await sendFile(alice, 'picture.png', 'image/png', png(120, 80));
    await sendFile(alice, 'notes.txt', 'text/plain', Buffer.from(`notes ${randomBytes(8).toString('hex')}\n`));
    await alice.locator('img[data-testid=file-preview]').waitFor({ timeout: WAIT_MS });
    await expectConversation(alice, ['hello bob, can you hear this?', 'loud and clear']);
    await checkPage(alice, 'a conversation (sender)');
    await bob.locator('[data-testid=file-card]', { hasText: 'notes.txt' }).waitFor({ timeout: WAIT_MS });
    await checkPage(bob, 'a conversation (receiver)');
  });

  it('each dialog of a conversation, opened', async () => {
    await alice.getByTestId('verify-button').click();
    await alice.getByTestId('safety-number').waitFor({ timeout: WAIT_MS });
    await checkPage(alice, 'safety number dialog');
    await alice.keyboard.press('Escape');
    await alice.getByTestId('safety-number-dialog').waitFor({ state: 'hidden' });

    const menu = alice.getByRole('button', { name: 'Options for the conversation with bob' });
    await menu.click();
    await checkPage(alice, 'conversation options menu');
    await alice.getByRole('button', { name: 'Disappearing messages', exact: true }).click();
    await settled(alice);
    await checkPage(alice, 'disappearing messages dialog');
    await alice.keyboard.press('Escape');

    for (const [entry, title] of [
      ['Remove friend', /^Remove bob/],
      ['Block bob', /^Block bob/],
    ] as const) {
      await menu.click();
      await alice.getByRole('button', { name: entry, exact: true }).click();
      const confirm = alice.getByRole('dialog', { name: title });
      await confirm.waitFor();
      await checkPage(alice, `${entry} confirmation`);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
    }
  });

  it('the add-friend confirmation of a contact link', async () => {
    // Carol came through Alice's invite link, which carries Alice's contact link: she is asked to add her.
    const confirm = carol.getByTestId('contact-link-confirm');
    await confirm.waitFor({ state: 'visible', timeout: WAIT_MS });
    await checkPage(carol, 'add-friend dialog');
    await carol.keyboard.press('Escape');
    await confirm.waitFor({ state: 'hidden' });
  });

  it('the group dialogs: new group, members, name and picture, leave', async () => {
    await alice.getByTestId('new-group-button').click();
    await newGroupDialog(alice).waitFor({ state: 'visible' });
    await checkPage(alice, 'new group dialog');
    await alice.keyboard.press('Escape');
    await newGroupDialog(alice).waitFor({ state: 'hidden' });

    await createGroup(alice, 'reading club', ['bob']);
    await checkPage(alice, 'a group conversation');
    await openMembers(alice);
    await checkPage(alice, 'group members dialog');
    await alice.keyboard.press('Escape');
    await membersDialog(alice).waitFor({ state: 'hidden' });

    await groupMenu(alice, 'Name and picture');
    await alice.getByTestId('group-info-dialog').waitFor({ state: 'visible' });
    await checkPage(alice, 'group name and picture dialog');
    await alice.keyboard.press('Escape');

    await groupMenu(alice, 'Leave group');
    const leave = alice.getByRole('dialog', { name: 'Leave reading club?' });
    await leave.waitFor();
    await checkPage(alice, 'leave group confirmation');
    await leave.getByRole('button', { name: 'Cancel' }).click();
    await leave.waitFor({ state: 'hidden' });
  });
});

describe('keyboard only', () => {
  it('Tab reaches the conversation, Enter opens it, the composer sends with Enter', async () => {
    // Start from the top of the page, as after loading it.
    await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await alice.evaluate(() => document.body.focus());
    const bobLink = alice.locator('[data-testid=friend]', { hasText: 'bob' });
    await tabTo(alice, bobLink);
    expect(await focusRing(alice)).toEqual({ focusVisible: true, ring: true });

    await alice.keyboard.press('Enter');
    await alice.locator('.conversation-name', { hasText: 'bob' }).waitFor();
    await expect.poll(async () => (await activeElement(alice))?.id).toBe('composer');
    await alice.keyboard.type('typed without a mouse');
    await alice.keyboard.press('Enter');
    await openConversation(bob, 'alice');
    await expectConversation(bob, ['hello bob, can you hear this?', 'loud and clear', 'typed without a mouse']);
  });

  it('the options menu opens with Enter and Space, arrows move, Escape gives focus back', async () => {
    const menuButton = alice.getByRole('button', { name: 'Options for the conversation with bob' });
    await menuButton.focus();
    expect(await focusRing(alice)).toEqual({ focusVisible: true, ring: true });
    await alice.keyboard.press('Enter');
    await expect.poll(() => menuButton.getAttribute('aria-expanded')).toBe('true');
    const first = (await activeElement(alice))?.text;
    expect(first).toBeTruthy();
    await alice.keyboard.press('ArrowDown');
    const second = (await activeElement(alice))?.text;
    expect(second).not.toBe(first);
    await alice.keyboard.press('ArrowUp');
    expect((await activeElement(alice))?.text).toBe(first);
    await alice.keyboard.press('Escape');
    await expect.poll(() => menuButton.getAttribute('aria-expanded')).toBe('false');
    expect((await activeElement(alice))?.label).toBe('Options for the conversation with bob');

    await alice.keyboard.press('Space');
    await expect.poll(() => menuButton.getAttribute('aria-expanded')).toBe('true');
    // Walk to "Disappearing messages" with the arrows and open its dialog.
    for (let i = 0; i < 5 && (await activeElement(alice))?.text !== 'Disappearing messages'; i += 1) {
      await alice.keyboard.press('ArrowDown');
    }
    expect((await activeElement(alice))?.text).toBe('Disappearing messages');
    await alice.keyboard.press('Enter');
    const dialog = alice.getByRole('dialog', { name: /disappear/i });
    await dialog.waitFor({ state: 'visible' });
    await alice.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    // The dialog was opened from the menu, which closed: focus goes back to the menu's button.
    await expect.poll(async () => (await activeElement(alice))?.label).toBe('Options for the conversation with bob');
  });

  it('Escape closes the safety-number dialog and focus returns to its button', async () => {
    const verify = alice.getByTestId('verify-button');
    await verify.focus();
    await alice.keyboard.press('Enter');
    await alice.getByTestId('safety-number-dialog').waitFor({ state: 'visible' });
    expect(await alice.getByTestId('safety-number-dialog').evaluate((d) => d.contains(document.activeElement))).toBe(
      true,
    );
    await alice.keyboard.press('Escape');
    await alice.getByTestId('safety-number-dialog').waitFor({ state: 'hidden' });
    await expect.poll(async () => (await activeElement(alice))?.testId).toBe('verify-button');
  });

  it('every button says what it does, even when it shows only an icon', async () => {
    const unnamed = await alice.evaluate(() =>
      Array.from(document.querySelectorAll('button, a[href], [role=button]'))
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .filter(
          (el) => !(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent?.trim()),
        )
        .map((el) => el.outerHTML.slice(0, 200)),
    );
    expect(unnamed).toEqual([]);
  });
});

describe('screen reader', () => {
  const log = (page: Page) => page.getByTestId('live-announcer');

  it('announces a message from Bob as it arrives, not the history on load', async () => {
    await openConversation(bob, 'alice');
    // Alice opens the conversation afresh: its whole history loads.
    await openGroup(alice, 'reading club');
    await openConversation(alice, 'bob');
    await expectConversation(alice, ['hello bob, can you hear this?', 'loud and clear', 'typed without a mouse']);
    const region = log(alice);
    expect(await region.getAttribute('role')).toBe('log');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    // The history is on screen, and nothing of it was announced.
    expect((await region.textContent())?.trim()).toBe('');

    await sendText(bob, 'are you still there?');
    await expect.poll(() => region.textContent()).toContain('New message from bob: are you still there?');
    // Alice's own messages are not announced to her.
    await sendText(alice, 'yes, still here');
    await expectConversation(bob, [
      'hello bob, can you hear this?',
      'loud and clear',
      'typed without a mouse',
      'are you still there?',
      'yes, still here',
    ]);
    expect(await region.textContent()).not.toContain('yes, still here');
    expect(await log(bob).textContent()).toContain('New message from alice: yes, still here');
  });
});

// Without tor or Firefox ESR this cannot run; CI installs both, so there it must.
describe.skipIf((!findTor() || !existsSync(FIREFOX_PATH)) && !process.env.CI)(
  'Firefox ESR with Tor Browser’s preferences, over the onion',
  () => {
    let site: OnionSite | undefined;
    let dana: FirefoxPerson | undefined;

    beforeAll(async () => {
      site = await startOnionSite('a11y');
      dana = await launchFirefox('Standard', site.testnet.socksPort);
    }, TOR_TIMEOUT + 60_000);

    afterAll(async () => {
      await dana?.close();
      await site?.stop();
    });

    const check = (page: AnyPage, where: string) => expectNoAxeViolations(page, `${where} (Firefox ESR)`);

    it('the landing, sign-up and chat pages, and the CSP holds', async () => {
      const page = dana!.page;
      await page.goto(`${site!.origin}/`);
      await page.waitForSelector('h1');
      await check(page, 'landing page');
      const ran = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__inlineRan = true';
        document.body.append(script);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
      });
      expect(ran).toBe(false);

      await page.goto(`${site!.origin}/signup/`);
      await page.waitForSelector('#passphrase-confirm');
      await check(page, 'sign-up page');
      await firefoxSteps.signUpAt(page, `${site!.origin}/signup/`, 'dana', 'she browses the onion with care', 180_000);
      await page.waitForSelector('[data-testid=add-friend-form]', { timeout: 180_000 });
      await check(page, 'chat with no conversations');
    }, 600_000);
  },
);
