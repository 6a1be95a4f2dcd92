// Accessibility: every page and main state passes axe-core (WCAG 2.1 A and AA and axe's
// best practices) in light and dark colours, at desktop and phone width; the core chat
// works with the keyboard alone; new messages are announced to a screen reader; and a
// few pages pass in Firefox ESR with Tor Browser's preferences, over the onion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { PNG } from 'pngjs';
import type { Browser, Locator, Page } from 'playwright-core';
import { findTor } from '@onionchat/tor';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { createInvite, fillAndSubmit, logInAt, openAccount, signUpAt } from './support/pages.js';
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

const run = promisify(execFile);

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
    const invite = await createInvite(alice);
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

/** The message whose own text holds `text` (a reply quoting it is another message). */
const message = (page: Page, text: string): Locator =>
  page
    .locator('[data-testid=message]')
    .filter({ has: page.locator('[data-testid=message-text]', { hasText: text }) })
    .last();

const toolbar = (row: Locator) => row.getByTestId('message-toolbar');
const tool = (row: Locator, name: string) => toolbar(row).getByRole('button', { name, exact: true });

/** Runs one of a message's actions with the mouse: hover it, press the button. */
async function act(page: Page, row: Locator, name: string): Promise<void> {
  await row.hover();
  await tool(row, name).click();
}

const TEXTS = {
  kept: 'the ferry leaves at noon',
  before: 'bring the blue umbrella',
  after: 'bring the red umbrella',
  gone: 'this one I take back',
  reply: 'noon works for me',
};

describe('axe-core over message actions, search, settings, the camera and account deletion', () => {
  it('a conversation with a reaction, a reply, an edit, a deletion and receipts, for both people', async () => {
    await openConversation(alice, 'bob');
    await openConversation(bob, 'alice');
    for (const text of [TEXTS.kept, TEXTS.before, TEXTS.gone]) await sendText(alice, text);
    await message(bob, TEXTS.gone).waitFor({ timeout: WAIT_MS });

    await act(bob, message(bob, TEXTS.kept), 'React');
    await bob.getByRole('button', { name: 'React with 👍' }).click();
    await act(bob, message(bob, TEXTS.kept), 'Reply');
    await sendText(bob, TEXTS.reply);

    await act(alice, message(alice, TEXTS.before), 'Edit');
    await alice.fill('#composer', TEXTS.after);
    await alice.press('#composer', 'Enter');
    await act(alice, message(alice, TEXTS.gone), 'Delete for everyone');
    await alice.getByRole('dialog').getByRole('button', { name: 'Delete for everyone' }).click();

    await message(alice, TEXTS.kept).locator('[data-testid=reaction][data-emoji="👍"]').waitFor({ timeout: WAIT_MS });
    await message(alice, TEXTS.reply).getByTestId('reply-quote').waitFor({ timeout: WAIT_MS });
    await alice.getByTestId('message-deleted').waitFor({ timeout: WAIT_MS });
    await expect
      .poll(async () => (await alice.getByTestId('delivery').allTextContents()).join(' '), { timeout: WAIT_MS })
      .toContain('Read');
    await checkPage(alice, 'a conversation with message actions (sender)');

    await message(bob, TEXTS.after).getByTestId('message-edited').waitFor({ timeout: WAIT_MS });
    await bob.getByTestId('message-deleted').waitFor({ timeout: WAIT_MS });
    await checkPage(bob, 'a conversation with message actions (receiver)');
  }, 240_000);

  it("a message's toolbar shown by focus, and its reaction picker open", async () => {
    const row = message(alice, TEXTS.kept);
    await tool(row, 'React').focus();
    await checkPage(alice, 'message toolbar shown by focus');
    await tool(row, 'React').click();
    await toolbar(row).getByRole('group', { name: 'Reactions' }).waitFor();
    await checkPage(alice, 'reaction picker open');
    await tool(row, 'React').click();
    await toolbar(row).getByRole('group', { name: 'Reactions' }).waitFor({ state: 'detached' });
  });

  it("the composer's reply and edit bars, and the delete dialog", async () => {
    await act(bob, message(bob, TEXTS.kept), 'Reply');
    await bob.getByTestId('composer-target').waitFor();
    await checkPage(bob, 'composer replying to a message');
    await bob.getByRole('button', { name: 'Cancel the reply' }).click();
    await bob.getByTestId('composer-target').waitFor({ state: 'detached' });

    await act(alice, message(alice, TEXTS.kept), 'Edit');
    await alice.getByTestId('composer-target').waitFor();
    await checkPage(alice, 'composer editing a message');
    await alice.getByRole('button', { name: 'Cancel the edit' }).click();
    await alice.getByTestId('composer-target').waitFor({ state: 'detached' });

    await act(alice, message(alice, TEXTS.kept), 'Delete for everyone');
    const confirm = alice.getByRole('dialog', { name: 'Delete for everyone?' });
    await confirm.waitFor();
    await checkPage(alice, 'delete for everyone dialog');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
  });

  it('the search dialog with results, and the settings dialog', async () => {
    await alice.getByRole('button', { name: 'Search messages' }).click();
    const search = alice.locator('[data-testid=search-dialog][open]');
    await search.waitFor();
    await alice.fill('[data-testid=search-input]', 'umbrella');
    await alice.getByTestId('search-hit').first().waitFor({ timeout: WAIT_MS });
    await checkPage(alice, 'search dialog with results');
    await alice.keyboard.press('Escape');
    await search.waitFor({ state: 'detached' });

    await bob.getByRole('button', { name: 'Settings' }).click();
    await bob.getByTestId('read-receipts').waitFor();
    await checkPage(bob, 'settings dialog');
    await bob.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await bob.getByTestId('read-receipts').waitFor({ state: 'hidden' });
  });

  it('the account page with the delete-account card refusing a wrong passphrase', async () => {
    await openAccount(carol);
    const card = carol.locator('section', { has: carol.getByRole('heading', { name: 'Delete account' }) });
    await card.getByLabel(/Type your username/).fill('carol');
    await card.getByLabel('Your passphrase', { exact: true }).fill('not the passphrase of carol');
    await card.getByRole('button', { name: 'Delete my account for good' }).click();
    await expect
      .poll(() => card.locator('[role=alert]').textContent(), { timeout: WAIT_MS })
      .toBe('That passphrase is wrong, so nothing was deleted.');
    await checkPage(carol, 'delete-account card with a wrong passphrase');
    await backToChat(carol);
  });

  it('the camera scanner in the safety-number dialog and in Add a friend (Chromium’s fake camera)', async () => {
    const camera = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
    try {
      const page = await (await camera.newContext({ viewport: SIZES.desktop })).newPage();
      await logInAt(page, server.origin, 'bob', PASS.bob);
      await page.getByTestId('add-friend-form').waitFor({ timeout: WAIT_MS });
      const addScan = page.getByTestId('add-friend-scan');
      await addScan.getByRole('button', { name: 'Scan with camera' }).click();
      await addScan.getByRole('button', { name: 'Stop camera' }).waitFor({ timeout: WAIT_MS });
      await checkPage(page, 'Add a friend scanning with the camera');
      await addScan.getByRole('button', { name: 'Stop camera' }).click();

      await openConversation(page, 'alice');
      await page.getByTestId('verify-button').click();
      const dialog = page.getByTestId('safety-number-dialog');
      await dialog.getByTestId('safety-number').waitFor({ timeout: WAIT_MS });
      await dialog.getByRole('button', { name: 'Scan with camera' }).click();
      await dialog.getByRole('button', { name: 'Stop camera' }).waitFor({ timeout: WAIT_MS });
      await checkPage(page, 'safety-number dialog scanning with the camera');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    } finally {
      await camera.close();
    }
  });
});

describe('keyboard only: message actions and search', () => {
  const label = async (page: Page) => (await activeElement(page))?.label;

  it("Tab reaches a message's toolbar at its React button, the only Tab stop in it; arrows move", async () => {
    const row = message(alice, TEXTS.kept);
    const react = tool(row, 'React');
    // Start from the top of the page and Tab forward, as a keyboard user does.
    await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await alice.evaluate(() => document.body.focus());
    await tabTo(alice, react, 200);
    expect(await focusRing(alice)).toEqual({ focusVisible: true, ring: true });
    await expect.poll(() => toolbar(row).evaluate((bar) => getComputedStyle(bar).opacity)).toBe('1');
    const tabIndexes = await toolbar(row)
      .getByRole('button')
      .evaluateAll((buttons) => buttons.map((b) => [b.getAttribute('aria-label'), (b as HTMLElement).tabIndex]));
    expect(tabIndexes).toEqual([
      ['React', 0],
      ['Reply', -1],
      ['Edit', -1],
      ['Delete for everyone', -1],
    ]);
    for (const name of ['Reply', 'Edit', 'Delete for everyone', 'React']) {
      await alice.keyboard.press('ArrowRight');
      expect(await label(alice)).toBe(name);
    }
    await alice.keyboard.press('ArrowLeft');
    expect(await label(alice)).toBe('Delete for everyone');
    await alice.keyboard.press('ArrowLeft');
    expect(await label(alice)).toBe('Edit');
    // Tab leaves the toolbar: its other buttons are not Tab stops.
    await react.focus();
    await alice.keyboard.press('Tab');
    expect(await toolbar(row).evaluate((bar) => bar.contains(document.activeElement))).toBe(false);
  });

  it('Enter on React opens the picker, a reaction is chosen with the keys, Escape closes it', async () => {
    const row = message(alice, TEXTS.kept);
    const react = tool(row, 'React');
    const picker = toolbar(row).getByRole('group', { name: 'Reactions' });
    await react.focus();
    await alice.keyboard.press('Enter');
    await picker.waitFor();
    expect(await react.getAttribute('aria-expanded')).toBe('true');
    // Escape closes the picker and keeps the focus on React.
    await alice.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await label(alice)).toBe('React');

    // Choose one with the keys: the second reaction offered.
    await react.focus();
    await alice.keyboard.press('Enter');
    await picker.waitFor();
    await alice.keyboard.press('ArrowRight');
    await alice.keyboard.press('ArrowRight');
    const chosen = (await label(alice))!.replace(/^React with /, '');
    expect(chosen).not.toBe('React');
    await alice.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    const chip = row.locator(`[data-testid=reaction][data-emoji="${chosen}"]`);
    await chip.waitFor({ timeout: WAIT_MS });
    expect(await chip.getAttribute('aria-pressed')).toBe('true');
    await message(bob, TEXTS.kept).locator(`[data-testid=reaction][data-emoji="${chosen}"]`).waitFor({
      timeout: WAIT_MS,
    });
    expect(await label(alice), 'after choosing a reaction the focus is back on React').toBe('React');
  });

  it('Escape with the focus inside the picker closes it and puts the focus back on React', async () => {
    const row = message(alice, TEXTS.kept);
    const react = tool(row, 'React');
    const picker = toolbar(row).getByRole('group', { name: 'Reactions' });
    await react.focus();
    await alice.keyboard.press('Enter');
    await picker.waitFor();
    await alice.keyboard.press('ArrowRight');
    expect(await label(alice)).toMatch(/^React with /);
    await alice.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await label(alice), 'Escape in the picker leaves the focus on React').toBe('React');
  });

  it('Reply puts the focus in the composer with the reply bar; Escape cancels it', async () => {
    const row = message(alice, TEXTS.reply);
    await tool(row, 'React').focus();
    await alice.keyboard.press('ArrowRight');
    expect(await label(alice)).toBe('Reply');
    await alice.keyboard.press('Enter');
    await expect.poll(async () => (await activeElement(alice))?.id).toBe('composer');
    expect(await alice.getByTestId('composer-target').textContent()).toContain('Replying to bob');
    await alice.keyboard.press('Escape');
    await alice.getByTestId('composer-target').waitFor({ state: 'detached' });
    expect((await activeElement(alice))?.id).toBe('composer');
  });

  it('the delete dialog, cancelled with Escape or its Cancel button, gives the focus back', async () => {
    const row = message(alice, TEXTS.kept);
    const dialog = alice.getByRole('dialog', { name: 'Delete for everyone?' });
    for (const how of ['Escape', 'Cancel'] as const) {
      await tool(row, 'React').focus();
      await alice.keyboard.press('ArrowLeft');
      expect(await label(alice)).toBe('Delete for everyone');
      await alice.keyboard.press('Enter');
      await dialog.waitFor();
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      if (how === 'Escape') {
        await alice.keyboard.press('Escape');
      } else {
        const cancel = dialog.getByRole('button', { name: 'Cancel' });
        if (!(await cancel.evaluate((el) => el === document.activeElement))) await tabTo(alice, cancel, 10);
        await alice.keyboard.press('Enter');
      }
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(async () => label(alice), { message: `focus after ${how}` }).toBe('Delete for everyone');
      expect(await row.getByTestId('message-text').textContent()).toBe(TEXTS.kept);
    }
  });

  it('Ctrl+K opens search with the focus in its field; Escape closes it and gives the focus back', async () => {
    await alice.focus('#composer');
    await alice.keyboard.press('Control+K');
    const search = alice.locator('[data-testid=search-dialog][open]');
    await search.waitFor();
    await expect.poll(async () => (await activeElement(alice))?.testId).toBe('search-input');
    await alice.keyboard.type('ferry');
    await alice.getByTestId('search-hit').first().waitFor({ timeout: WAIT_MS });
    await alice.keyboard.press('Escape');
    await search.waitFor({ state: 'detached' });
    await expect.poll(async () => (await activeElement(alice))?.id).toBe('composer');
  });
});

describe('axe-core on an invite-only server: the first member and the invite links', () => {
  let invited: ServerProcess;
  let page: Page;
  const ONION = `${'onionchatallyinvite'.padEnd(52, 'x')}test.onion`.replace(/[^a-z2-7.]/g, 'q');

  beforeAll(async () => {
    invited = await startServer({ REGISTRATION: 'invite', PUBLIC_ORIGIN: `http://${ONION}` });
    page = await newPerson();
  }, 60_000);
  afterAll(async () => {
    await page?.context().close();
    await invited?.stop();
  });

  it('the first-member note, and the invite and contact links on the onion address', async () => {
    const { stdout } = await run(process.execPath, ['scripts/invite.mjs'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, DATABASE_URL: invited.dbUrl, PUBLIC_ORIGIN: invited.origin },
    });
    const link = stdout.match(/http:\/\/\S+\/signup\/#invite=[A-Za-z0-9_-]{43}/)?.[0];
    if (!link) throw new Error(`the invite script printed no link:\n${stdout}`);
    await signUpAt(page, link, 'pioneer', 'the very first member of this one');
    await page.getByTestId('first-member-note').waitFor({ timeout: WAIT_MS });
    await checkPage(page, 'chat with the first-member note');

    await page.getByTestId('first-member-note').getByRole('link', { name: 'Make an invite link' }).click();
    await page.waitForURL(/\/account\/#invites$/);
    await page.getByTestId('contact-link').waitFor({ timeout: WAIT_MS });
    await checkPage(page, 'account page with no invites yet (onion links)');
    await createInvite(page);
    await checkPage(page, 'account page with an invite made (onion links)');
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
