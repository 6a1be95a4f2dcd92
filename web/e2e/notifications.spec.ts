// Notifications, for both people: a new message in a conversation that is not on screen
// plays a short sound (Web Audio, nothing fetched) and, where the browser shows them and
// the person allowed it, raises a system notification that says who wrote, never what.
// The conversation being read stays quiet. The page's Notification and AudioContext are
// only observed (the app's decisions are its own). A browser that refuses notifications
// is told plainly, without a console error; and in Firefox ESR with Tor Browser's
// preferences the settings tell what that browser allows.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findTor } from '@onionchat/tor';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { signUpAt } from './support/pages.js';
import { acceptRequest, expectConversation, openConversation, requestFriend, sendText } from './support/chat-steps.js';
import { FIREFOX_PATH, launchFirefox, type FirefoxPerson } from './support/firefox.js';
import { signUpAt as firefoxSignUpAt } from './support/firefox-steps.js';
import { TOR_TIMEOUT, startOnionSite, type OnionSite } from './support/onion-site.js';
import { WAIT_MS } from './support/wait.js';

const ALICE_PASS = 'a kettle sings in the next room';
const BOB_PASS = 'thirteen owls over the train yard';
const CAROL_PASS = 'green ink on the back of a map';
const DAVE_PASS = 'no bells ring in this quiet browser';

/** Records every system notification the page makes and every tone it starts, then lets them through. */
const OBSERVE = () => {
  const seen = { notifications: [] as Array<{ title: string; body: string }>, tones: 0, errors: [] as string[] };
  (window as unknown as { __observed: typeof seen }).__observed = seen;
  const Original = window.Notification;
  if (Original) {
    class Observed extends Original {
      constructor(title: string, options?: NotificationOptions) {
        seen.notifications.push({ title, body: options?.body ?? '' });
        super(title, options);
      }
    }
    window.Notification = Observed;
  }
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
    seen.tones += 1;
    return start.apply(this, args);
  };
};

type Observed = { notifications: Array<{ title: string; body: string }>; tones: number };

let server: ServerProcess;
let browser: Browser;
let alice: Person;
let bob: Person;
let carol: Person;
const consoleErrors: string[] = [];

interface Person {
  context: BrowserContext;
  page: Page;
}

beforeAll(async () => {
  server = await startServer({ REGISTRATION: 'open' });
  // Permission prompts are refused, as a person who says no would: those granted are granted beforehand.
  browser = await launchBrowser(['--deny-permission-prompts']);
  alice = await person(true);
  bob = await person(true);
  carol = await person(true);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function person(allowNotifications: boolean): Promise<Person> {
  const context = await browser.newContext();
  if (allowNotifications) await context.grantPermissions(['notifications'], { origin: server.origin });
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  return { context, page };
}

const observed = (page: Page) => page.evaluate(() => (window as unknown as { __observed: Observed }).__observed);
const resetObserved = (page: Page) =>
  page.evaluate(() => {
    const seen = (window as unknown as { __observed: Observed }).__observed;
    seen.notifications.length = 0;
    seen.tones = 0;
  });

const settings = (page: Page) => page.getByTestId('notification-settings');

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.locator('[data-testid=notification-settings][open]').waitFor();
}

async function closeSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Done' }).click();
  await page.locator('[data-testid=notification-settings][open]').waitFor({ state: 'detached' });
}

describe('notifications in Chromium', () => {
  it('three people: bob is friends with alice and with carol', async () => {
    await signUpAt(alice.page, `${server.origin}/signup/`, 'alice', ALICE_PASS);
    await signUpAt(bob.page, `${server.origin}/signup/`, 'bob', BOB_PASS);
    await signUpAt(carol.page, `${server.origin}/signup/`, 'carol', CAROL_PASS);
    await requestFriend(alice.page, 'bob');
    await acceptRequest(bob.page, 'alice');
    await requestFriend(carol.page, 'bob');
    await acceptRequest(bob.page, 'carol');
    await alice.page.locator('[data-testid=friend]', { hasText: 'bob' }).waitFor({ timeout: WAIT_MS });
    await carol.page.locator('[data-testid=friend]', { hasText: 'bob' }).waitFor({ timeout: WAIT_MS });
  });

  it('the settings offer system notifications where they are allowed, previews off', async () => {
    await openSettings(bob.page);
    expect(await settings(bob.page).getByLabel('Play a sound', { exact: true }).isChecked()).toBe(true);
    expect(await settings(bob.page).getByLabel('Show system notifications', { exact: true }).isChecked()).toBe(true);
    expect(
      await settings(bob.page).getByLabel('Show the start of the message in them', { exact: true }).isChecked(),
    ).toBe(false);
    await closeSettings(bob.page);
  });

  it('bob, reading carol, hears alice and gets a notification that says who, not what', async () => {
    await openConversation(bob.page, 'carol');
    await bob.page.bringToFront();
    expect(await bob.page.evaluate(() => document.visibilityState)).toBe('visible');
    await resetObserved(bob.page);
    const secret = 'the meeting moved to the old boathouse';
    await openConversation(alice.page, 'bob');
    await sendText(alice.page, secret);
    await expect
      .poll(async () => (await observed(bob.page)).notifications, { timeout: WAIT_MS })
      .toEqual([{ title: 'New message from alice', body: 'Open OnionChat to read it.' }]);
    expect((await observed(bob.page)).tones).toBeGreaterThan(0);
    expect(JSON.stringify((await observed(bob.page)).notifications)).not.toContain('boathouse');
    // The tab title counts it as before.
    await expect.poll(() => bob.page.title()).toBe('(1) OnionChat');
  });

  it('with the tab on alice’s conversation, her next message fires nothing', async () => {
    await openConversation(bob.page, 'alice');
    await bob.page.bringToFront();
    expect(await bob.page.evaluate(() => document.hasFocus() && document.visibilityState === 'visible')).toBe(true);
    await resetObserved(bob.page);
    const text = 'are you reading this right now';
    await sendText(alice.page, text);
    await expectConversation(bob.page, ['the meeting moved to the old boathouse', text]);
    // What would fire is decided as the message is filed; give it a moment anyway.
    await bob.page.waitForTimeout(500);
    expect(await observed(bob.page)).toEqual({ notifications: [], tones: 0, errors: [] });
  });

  it('alice, on her conversation list, gets bob’s reply the same way', async () => {
    await alice.page.goBack();
    await alice.page.locator('.chat-placeholder').waitFor({ timeout: WAIT_MS });
    await alice.page.bringToFront();
    await resetObserved(alice.page);
    await sendText(bob.page, 'yes, reading it as it arrives');
    await expect
      .poll(async () => (await observed(alice.page)).notifications, { timeout: WAIT_MS })
      .toEqual([{ title: 'New message from bob', body: 'Open OnionChat to read it.' }]);
    expect((await observed(alice.page)).tones).toBeGreaterThan(0);
  });

  it('a muted conversation and switched-off settings stay quiet; a preview is shown only when asked for', async () => {
    await openSettings(bob.page);
    await settings(bob.page).getByLabel('carol', { exact: true }).check();
    await closeSettings(bob.page);
    await openConversation(carol.page, 'bob');
    await resetObserved(bob.page);
    await sendText(carol.page, 'muted carol says hello');
    await bob.page.locator('[data-testid=friend]', { hasText: 'carol' }).locator('text=muted carol').waitFor();
    await bob.page.waitForTimeout(500);
    expect((await observed(bob.page)).notifications).toEqual([]);
    expect((await observed(bob.page)).tones).toBe(0);

    await openSettings(bob.page);
    await settings(bob.page).getByLabel('carol', { exact: true }).uncheck();
    await settings(bob.page).getByLabel('Play a sound', { exact: true }).uncheck();
    await settings(bob.page).getByLabel('Show the start of the message in them', { exact: true }).check();
    await closeSettings(bob.page);
    await sendText(carol.page, 'preview wanted this time');
    await expect
      .poll(async () => (await observed(bob.page)).notifications, { timeout: WAIT_MS })
      .toEqual([{ title: 'New message from carol', body: 'preview wanted this time' }]);
    expect((await observed(bob.page)).tones).toBe(0);
  });

  it('a browser that refuses notifications is told so plainly, and nothing errs', async () => {
    const dave = await person(false);
    await signUpAt(dave.page, `${server.origin}/signup/`, 'dave', DAVE_PASS);
    await openSettings(dave.page);
    await dave.page.getByTestId('allow-system-notifications').click();
    await dave.page.getByTestId('system-notifications-denied').waitFor({ timeout: WAIT_MS });
    expect(await dave.page.getByTestId('system-notifications-denied').textContent()).toContain(
      'This browser blocks system notifications from this site.',
    );
    // The sound setting stays, and works without them.
    expect(await settings(dave.page).getByLabel('Play a sound', { exact: true }).isChecked()).toBe(true);
    await closeSettings(dave.page);
    expect(consoleErrors).toEqual([]);
  });
});

// Tor Browser is Firefox ESR with its preferences, reached over an onion: the settings
// must say what that browser allows, with no console error.
describe.skipIf((!findTor() || !existsSync(FIREFOX_PATH)) && !process.env.CI)(
  'notification settings in Firefox ESR with Tor Browser’s preferences',
  () => {
    let site: OnionSite | undefined;
    let firefox: FirefoxPerson | undefined;

    beforeAll(async () => {
      site = await startOnionSite('notify');
    }, TOR_TIMEOUT + 60_000);

    afterAll(async () => {
      await firefox?.close();
      await site?.stop();
    });

    it('says plainly what this browser shows, and nothing errs', async () => {
      firefox = await launchFirefox('Standard', site!.testnet.socksPort);
      const { page } = firefox;
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      await firefoxSignUpAt(page, `${site!.origin}/signup/`, 'erin', 'an onion only reader of things');
      await page.locator('[data-testid=notification-settings-button]').click();
      await page.locator('[data-testid=notification-settings][open]').wait();
      const api = await page.evaluate(() =>
        'Notification' in window ? window.Notification.permission : 'unsupported',
      );
      const shown = await page.evaluate(() =>
        [
          'system-notifications-unavailable',
          'system-notifications-denied',
          'allow-system-notifications',
          'notify-system',
        ]
          .filter((id) => document.querySelector(`[data-testid=${id}]`))
          .join(','),
      );
      const expected = {
        unsupported: 'system-notifications-unavailable',
        denied: 'system-notifications-denied',
        default: 'allow-system-notifications',
        granted: 'notify-system',
      }[api as 'unsupported' | 'denied' | 'default' | 'granted'];
      expect(shown).toBe(expected);
      console.log(`Firefox ESR with Tor Browser's preferences: Notification ${api}`);
      expect(errors).toEqual([]);
    }, 600_000);
  },
);
