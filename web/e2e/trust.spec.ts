// The server turns malicious: a test harness between the real client and the real
// server swaps keys, forges a room key, moves, re-attributes, replays and withholds
// messages, and swaps file chunks. For each attack the client shows the expected
// warning, and forged content is never displayed as authentic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import {
  FILE_CHUNK_CIPHER_BYTES,
  FILE_HEADER_BYTES,
  decodePublicKeys,
  fromBase64,
  newRoomKey,
  newUuid,
  sealMessage,
  toBase64,
  wrapRoomKey,
} from '@onionchat/protocol';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { fillAndSubmit, openAccount, signUpAt } from './support/pages.js';
import { rememberText } from './support/secrets.js';
import {
  acceptRequest,
  expectConversation,
  messageTexts,
  openConversation,
  requestFriend,
  sendText,
} from './support/chat-steps.js';
import { fileCard, sendFile } from './support/file-steps.js';
import {
  closeTampered,
  closeTamperedBrowser,
  impostor,
  rewriteHistory,
  socketInjector,
  swapIdAndPublicKeys,
  swapPublicKeys,
  tamperBundle,
  tamperBytes,
  tamperJson,
  tamperMessages,
  tamperSocketEvents,
  withIterations,
  type WireMessage,
} from './support/tamper.js';
import { WAIT_MS } from './support/wait.js';
import { ROLLED_BACK_MESSAGE } from '@onionchat/client';

const PASS = {
  alice: 'she compares numbers in person',
  bob: 'he reads digits over the phone',
  carol: 'scanning codes at the cafe',
  dave: 'late to every party he joins',
};
/** What the page says when the server offers fewer KDF iterations than the account is known to use. */
const LOWERED_KDF = 'weaker key-derivation parameters than your account already uses here';
type Name = keyof typeof PASS;

let server: ServerProcess;
let browser: Browser;
const first: Partial<Record<Name, Page>> = {};
/** What the honest server sent, recorded in the first sessions: the raw material for forgeries. */
const wire = new Map<string, WireMessage[]>();
const members = new Map<string, { id: string; username: string; publicKeys: string }>();
const roomOf = new Map<string, string>();

beforeAll(async () => {
  // alice logs in again for nearly every attack, more often than a person would in 15 minutes.
  server = await startServer({
    REGISTRATION: 'open',
    RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: '100',
    RATE_LOGIN_PER_CLIENT_PER_15_MIN: '100',
  });
  browser = await launchBrowser();
  for (const name of ['alice', 'bob', 'carol'] as const) {
    const context = await browser.newContext();
    await record(context);
    first[name] = await context.newPage();
    await signUpAt(first[name], `${server.origin}/signup/`, name, PASS[name]);
  }
  const { alice, bob, carol } = first as Record<Name, Page>;
  await requestFriend(alice, 'bob');
  await acceptRequest(bob, 'alice');
  await requestFriend(alice, 'carol');
  await acceptRequest(carol, 'alice');
}, 240_000);

afterAll(async () => {
  await closeTamperedBrowser(browser);
  await server?.stop();
});

/** Passive: remembers rooms and members as the honest server lists them. */
async function record(context: BrowserContext): Promise<void> {
  await tamperJson(context, /^\/api\/rooms$/, (body) => {
    for (const room of body.rooms as {
      id: string;
      members: { id: string; username: string; publicKeys: string }[];
    }[]) {
      for (const member of room.members) members.set(member.username, member);
      roomOf.set(
        room.members
          .map((m) => m.username)
          .sort()
          .join('+'),
        room.id,
      );
    }
  });
}

/** A fresh browser profile (like Tor Browser after a restart) logged in as `name`, with the attack installed first. */
async function restart(name: Name, attack: (context: BrowserContext) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  await attack(context);
  const page = await context.newPage();
  await page.goto(`${server.origin}/login/`);
  await fillAndSubmit(page, { '#username': name, '#passphrase': PASS[name] });
  await page.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
  return page;
}

const room = (a: Name, b: Name) => roomOf.get([a, b].sort().join('+'))!;
const idOf = (name: Name) => members.get(name)!.id;
const sentBy = (name: Name, roomId: string) => wire.get(roomId)!.filter((m) => m.senderId === idOf(name));

/** A room's messages exactly as the server stores them (fetched with alice's session). */
async function stored(roomId: string): Promise<WireMessage[]> {
  const page = await first.alice!.evaluate(
    async (url) => (await fetch(url)).json() as Promise<{ messages: WireMessage[] }>,
    `/api/rooms/${roomId}/messages?after=0&limit=100`,
  );
  return page.messages;
}

/** Keeps a room's messages exactly as the server stores them. */
async function capture(roomId: string): Promise<void> {
  wire.set(roomId, await stored(roomId));
}

/** Typing is allowed, but nothing goes out: no pending message, attach and send stay off. */
async function expectSendingBlocked(page: Page): Promise<void> {
  await sendText(page, 'this must never be sent');
  expect(await page.locator('.attach-button').isDisabled()).toBe(true);
  expect(await page.locator('.send-button').isDisabled()).toBe(true);
  expect(await page.locator('[data-testid=message][data-mine=true]', { hasText: 'never be sent' }).count()).toBe(0);
  expect(await page.locator('[data-testid=message][data-state=pending]').count()).toBe(0);
}
const unverified = (page: Page) => page.locator('[data-testid=message][data-state=unverified]');
const warning = (page: Page) => page.getByTestId('key-change-warning');

async function safetyDigits(page: Page): Promise<string> {
  await page.getByTestId('verify-button').click();
  const digits = page.getByTestId('safety-number');
  await digits.waitFor({ timeout: WAIT_MS });
  return (await digits.getAttribute('aria-label'))!;
}

async function closeDialog(page: Page): Promise<void> {
  await page.getByTestId('safety-number-dialog').getByRole('button', { name: 'Close' }).click();
}

async function markVerified(page: Page, friend: string): Promise<void> {
  await openConversation(page, friend);
  await page.getByTestId('verify-button').click();
  await page.getByTestId('safety-number').waitFor();
  await page.getByRole('button', { name: 'Mark as verified' }).click();
  await page.getByTestId('verified-badge').waitFor();
}

/** Counts the requests a context makes with `method` to paths matching `path`. */
function countRequests(context: BrowserContext, method: string, path: RegExp): { count: number } {
  const seen = { count: 0 };
  context.on('request', (request) => {
    if (request.method() === method && path.test(new URL(request.url()).pathname)) seen.count += 1;
  });
  return seen;
}

/** A new account that asks alice to be friends. */
async function newAccountAskingAlice(name: Name): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUpAt(page, `${server.origin}/signup/`, name, PASS[name]);
  await requestFriend(page, 'alice');
  await page.getByTestId('outgoing-request').filter({ hasText: 'alice' }).waitFor();
  return page;
}

/** Waits until the page stores its key bundle with a save it starts from now on. */
async function savedAfterNow(page: Page): Promise<void> {
  const started = new Set<Request>();
  const note = (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/account/bundle') started.add(request);
  };
  page.on('request', note);
  try {
    await page.waitForResponse((response) => started.has(response.request()) && response.ok(), { timeout: WAIT_MS });
  } finally {
    page.off('request', note);
  }
}

const friendEntry = (page: Page, name: string) => page.locator('[data-testid=friend]', { hasText: name });
const messageRow = (page: Page, text: string) =>
  page.locator('[data-testid=message]', { has: page.getByTestId('message-text').getByText(text, { exact: true }) });

describe('a malicious server, against the real client', () => {
  it('first, the honest way: two conversations with a few messages', async () => {
    const { alice, bob, carol } = first as Record<Name, Page>;
    await openConversation(alice, 'bob');
    await openConversation(bob, 'alice');
    for (const text of ['bob one', 'bob two', 'bob three']) await sendText(bob, text);
    await expectConversation(alice, ['bob one', 'bob two', 'bob three']);
    await sendText(alice, 'alice to bob');
    await expectConversation(bob, ['bob one', 'bob two', 'bob three', 'alice to bob']);
    await openConversation(carol, 'alice');
    await sendText(carol, 'carol says hello');
    await openConversation(alice, 'carol');
    await expectConversation(alice, ['carol says hello']);
    await capture(room('alice', 'bob'));
    await capture(room('alice', 'carol'));
    expect(wire.get(room('alice', 'bob'))).toHaveLength(4);
  });

  it('shows both people the same safety number and QR code; "verified" survives a browser restart', async () => {
    const { alice, bob } = first as Record<Name, Page>;
    await openConversation(alice, 'bob');
    const forAlice = await safetyDigits(alice);
    expect(forAlice).toMatch(/^(\d{5} ){11}\d{5}$/);
    await expect.poll(() => alice.getByTestId('safety-qr').locator('path').getAttribute('d')).toMatch(/^M/);
    expect(await safetyDigits(bob)).toBe(forAlice);
    await closeDialog(bob);
    await alice.getByRole('button', { name: 'Mark as verified' }).click();
    await alice.getByTestId('verified-badge').waitFor();

    const again = await restart('alice', async () => {});
    await openConversation(again, 'bob');
    await again.getByTestId('verified-badge').waitFor({ timeout: WAIT_MS });
    await expectConversation(again, ['bob one', 'bob two', 'bob three', 'alice to bob']);
    await closeTampered(again.context());
  });

  it('a verified friend’s key swapped on first contact after a restart: a red blocking alert, nothing sent, nothing shown', async () => {
    // A current (v2) record, bound to bob's own id: the id binding does not stop a key the server made.
    const fake = impostor('bob', idOf('bob'));
    const page = await restart('alice', (context) => swapPublicKeys(context, 'bob', fake.record));
    const alert = page.getByTestId('verified-key-change');
    await openConversation(page, 'bob');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.getAttribute('role')).toBe('alertdialog');
    expect(await alert.textContent()).toContain('bob’s verified safety number changed');
    await alert.getByRole('button', { name: 'Not now' }).click();
    expect(await warning(page).getAttribute('class')).toContain('key-warning-loud');
    // bob wrapped this conversation's key, so even alice's own messages can't be opened with trust now.
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(4);
    await expectSendingBlocked(page);
    expect(await messageTexts(page)).toEqual([]);
    expect(await unverified(page).first().textContent()).toContain("bob's verified safety number changed");
    expect(await page.getByTestId('verified-badge').count()).toBe(0);
    // The new number differs from the one both people compared.
    const honest = await safetyDigits(first.bob!);
    await closeDialog(first.bob!);
    expect(await safetyDigits(page)).not.toBe(honest);
    expect(await messageTexts(first.bob!)).not.toContain('this must never be sent');
    await closeTampered(page.context());
  });

  it('a verified friend presented under a new id with the server’s keys: the same red blocking alert, nothing sent, nothing shown', async () => {
    const bobRoom = room('alice', 'bob');
    const before = (await stored(bobRoom)).length;
    // A v2 record bound to the new id passes the id binding; only the pin by name catches it.
    const newId = newUuid();
    const fake = impostor('bob', newId);
    const page = await restart('alice', async (context) => {
      await swapIdAndPublicKeys(context, 'bob', fake.record, newId);
    });
    const alert = page.getByTestId('verified-key-change');
    await openConversation(page, 'bob');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.getAttribute('role')).toBe('alertdialog');
    expect(await alert.textContent()).toContain('bob’s verified safety number changed');
    await alert.getByRole('button', { name: 'Not now' }).click();
    expect(await warning(page).getAttribute('class')).toContain('key-warning-loud');
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(4);
    await expectSendingBlocked(page);
    expect(await messageTexts(page)).toEqual([]);
    expect(await page.getByTestId('verified-badge').count()).toBe(0);
    expect(await messageTexts(first.bob!)).not.toContain('this must never be sent');
    expect(await stored(bobRoom)).toHaveLength(before);
    await closeTampered(page.context());
  });

  it('an unverified friend presented under a new id with the server’s keys: a warning, sending blocked, nothing shown', async () => {
    const carolRoom = room('alice', 'carol');
    const before = (await stored(carolRoom)).length;
    // A version 1 record names no account, so it fits the new id too: the older format gets no further.
    const fake = impostor('carol');
    const page = await restart('alice', async (context) => {
      await swapIdAndPublicKeys(context, 'carol', fake.record);
    });
    await openConversation(page, 'carol');
    await warning(page).waitFor({ timeout: WAIT_MS });
    expect(await warning(page).textContent()).toContain('carol’s safety number has changed');
    expect(await page.getByTestId('verified-key-change').isVisible()).toBe(false);
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(1);
    await expectSendingBlocked(page);
    expect(await messageTexts(page)).toEqual([]);
    expect(await messageTexts(first.carol!)).not.toContain('this must never be sent');
    expect(await stored(carolRoom)).toHaveLength(before);
    await closeTampered(page.context());
  });

  it('an unverified friend’s key swapped later: a warning, sending blocked until the person accepts the new key', async () => {
    const fake = impostor('carol');
    const page = await restart('alice', (context) => swapPublicKeys(context, 'carol', fake.record));
    await openConversation(page, 'carol');
    await warning(page).waitFor({ timeout: WAIT_MS });
    expect(await warning(page).textContent()).toContain('carol’s safety number has changed');
    expect(await page.getByTestId('verified-key-change').isVisible()).toBe(false);
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(1);
    await expectSendingBlocked(page);
    expect(await messageTexts(page)).toEqual([]);
    await warning(page).getByRole('button', { name: 'Review safety number' }).click();
    await page.getByTestId('safety-number').waitFor();
    await page.getByRole('button', { name: 'Accept new key without verifying' }).click();
    await expect.poll(() => warning(page).count()).toBe(0);
    expect(await page.locator('.attach-button').isDisabled()).toBe(false);
    await closeTampered(page.context());
  });

  it('a re-signed wrapped room key: refused, and the conversation’s messages stay hidden', async () => {
    const roomId = room('alice', 'bob');
    const bobKeys = decodePublicKeys(fromBase64(members.get('bob')!.publicKeys), 'bob', members.get('bob')!.id);
    const server_ = impostor('alice').identity;
    const page = await restart('bob', (context) =>
      tamperJson(context, /^\/api\/rooms\/[^/]+\/keys$/, (body) => ({
        keys: (body.keys as { epoch: number; wrapperId: string; record: string }[]).map((key) => ({
          ...key,
          // The server's own room key, "wrapped by alice" but signed with a key of the server's.
          wrapperId: idOf('alice'),
          record: toBase64(
            wrapRoomKey(
              newRoomKey(),
              { roomId, epoch: key.epoch, memberId: idOf('bob'), wrapperId: idOf('alice') },
              server_,
              bobKeys.boxPublicKey,
            ),
          ),
        })),
      })),
    );
    await openConversation(page, 'alice');
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(4);
    expect(await messageTexts(page)).toEqual([]);
    expect(await unverified(page).first().textContent()).toContain('its conversation key failed a check');
    await closeTampered(page.context());
  });

  it('a message moved to another conversation, a changed sender and a replay: each refused with its reason', async () => {
    const bobRoom = room('alice', 'bob');
    const carolRoom = room('alice', 'carol');
    const [bobOne, bobTwo] = sentBy('bob', bobRoom);
    const page = await restart('alice', (context) =>
      tamperMessages(context, (messages, roomId) =>
        messages.map((m) => {
          // bob's message served as carol's, in carol's conversation.
          if (roomId === carolRoom) return { ...m, envelope: bobOne!.envelope };
          // bob's second message attributed to alice, and alice's message replaced by a replay of bob's first.
          if (m.seq === bobTwo!.seq) return { ...m, senderId: idOf('alice') };
          if (m.senderId === idOf('alice')) return { ...m, senderId: idOf('bob'), envelope: bobOne!.envelope };
          return m;
        }),
      ),
    );
    await openConversation(page, 'carol');
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(1);
    expect(await unverified(page).textContent()).toContain('it was delivered for another conversation or sender');
    expect(await messageTexts(page)).toEqual([]);

    await openConversation(page, 'bob');
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(2);
    const reasons = await unverified(page).allTextContents();
    expect(reasons.some((text) => text.includes('it was delivered for another conversation or sender'))).toBe(true);
    expect(reasons.some((text) => text.includes('it repeats a message already received'))).toBe(true);
    // Each genuine message is shown once, where it belongs, and "bob two" is not passed off as alice's.
    expect((await messageTexts(page)).sort()).toEqual(['bob one', 'bob three']);
    expect(await page.locator('[data-testid=message][data-mine=true][data-state=sent]').count()).toBe(0);
    await closeTampered(page.context());
  });

  it('a message withheld from history: a notice in the conversation says one is missing', async () => {
    const bobRoom = room('alice', 'bob');
    const bobTwo = sentBy('bob', bobRoom)[1]!;
    const page = await restart('alice', (context) =>
      tamperMessages(context, (messages, roomId) =>
        roomId === bobRoom ? messages.filter((m) => m.seq !== bobTwo.seq) : messages,
      ),
    );
    await openConversation(page, 'bob');
    await expectConversation(page, ['bob one', 'bob three', 'alice to bob']);
    const notice = page.getByTestId('sequence-notice');
    await expect
      .poll(() => notice.allTextContents())
      .toEqual(['⚠ 1 message from bob is missing here: the server withheld it.']);
    await closeTampered(page.context());
  });

  it('messages reordered: the notice says so', async () => {
    const bobRoom = room('alice', 'bob');
    const [one, two] = sentBy('bob', bobRoom);
    const page = await restart('alice', (context) =>
      tamperMessages(context, (messages, roomId) =>
        roomId !== bobRoom
          ? messages
          : messages.map((m) =>
              m.seq === one!.seq
                ? { ...m, envelope: two!.envelope }
                : m.seq === two!.seq
                  ? { ...m, envelope: one!.envelope }
                  : m,
            ),
      ),
    );
    await openConversation(page, 'bob');
    await expectConversation(page, ['bob two', 'bob one', 'bob three', 'alice to bob']);
    const notices = await page.getByTestId('sequence-notice').allTextContents();
    expect(notices.join(' ')).toContain('1 message from bob is missing here');
    expect(notices.join(' ')).toContain('out of order or a repeat');
    await closeTampered(page.context());
  });

  it('a live message re-attributed to someone else over the WebSocket: refused as it arrives, its text never shown', async () => {
    const page = await restart('alice', (context) =>
      tamperSocketEvents(context, (event, payload) =>
        event === 'message:new' && payload.senderId === idOf('bob') ? { ...payload, senderId: idOf('carol') } : payload,
      ),
    );
    await openConversation(page, 'bob');
    await expectConversation(page, ['bob one', 'bob two', 'bob three', 'alice to bob']);
    await sendText(first.bob!, 'live words from bob');
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(1);
    expect(await unverified(page).textContent()).toContain('its sender is not in this conversation');
    expect(await messageTexts(page)).not.toContain('live words from bob');
    await closeTampered(page.context());
  });

  it('a file chunk swapped: the download is refused as tampered and nothing is saved', async () => {
    const { alice } = first as Record<Name, Page>;
    await openConversation(alice, 'bob');
    await sendFile(alice, 'chunks.bin', 'application/octet-stream', randomBytes(3 * 65536 + 100));
    const page = await restart('bob', (context) =>
      tamperBytes(context, /^\/api\/files\/[^/]+\/content$/, (body) => {
        if (body.length < FILE_HEADER_BYTES + 2 * FILE_CHUNK_CIPHER_BYTES) return body;
        const out = Buffer.from(body);
        const a = FILE_HEADER_BYTES;
        const b = a + FILE_CHUNK_CIPHER_BYTES;
        body.copy(out, a, b, b + FILE_CHUNK_CIPHER_BYTES);
        body.copy(out, b, a, b);
        return out;
      }),
    );
    let downloads = 0;
    page.on('download', () => (downloads += 1));
    await openConversation(page, 'alice');
    const card = fileCard(page, 'chunks.bin');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: WAIT_MS }).toMatch(/^(ready|sent)$/);
    await card.getByRole('button', { name: 'Download' }).click();
    await expect.poll(() => card.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('tampered');
    expect(await card.textContent()).toContain('tampered with or damaged');
    expect(downloads).toBe(0);
    await closeTampered(page.context());
  });
  it('messages hidden while a changed key was not trusted are checked again once it is accepted: genuine ones show, forged ones never', async () => {
    const { carol } = first as Record<Name, Page>;
    const carolRoom = room('alice', 'carol');
    await openConversation(carol, 'alice');
    for (const text of ['carol two', 'carol three', 'carol four']) await sendText(carol, text);
    const stored = async () => {
      await capture(carolRoom);
      return wire.get(carolRoom)!.length;
    };
    await expect.poll(stored, { timeout: WAIT_MS }).toBe(4);
    const [, two, three, four] = wire.get(carolRoom)!;

    // carol's "new key": the server hands out another key for her, a room key she wrapped
    // with it (epoch 2), and a message she wrote with it; then a message signed by yet
    // another key in her name, and a replay of the new one.
    const renewed = impostor('carol');
    const forger = impostor('carol');
    const alice = members.get('alice')!;
    const aliceBox = decodePublicKeys(fromBase64(alice.publicKeys), 'alice', alice.id).boxPublicKey;
    const epochTwoKey = newRoomKey();
    const wrapped = wrapRoomKey(
      epochTwoKey,
      { roomId: carolRoom, epoch: 2, memberId: idOf('alice'), wrapperId: idOf('carol') },
      renewed.identity,
      aliceBox,
    );
    const GENUINE = 'carol writes under her new key';
    const FORGED = 'words carol never wrote';
    rememberText('message', GENUINE);
    rememberText('message', FORGED);
    const seal = (text: string, signer: typeof renewed) =>
      toBase64(
        sealMessage(
          { roomId: carolRoom, epoch: 2, senderId: idOf('carol'), messageId: newUuid(), sentAt: Date.now() },
          { type: 'text', text, chain: newUuid(), n: 1 },
          epochTwoKey,
          signer.identity,
        ),
      );
    const genuine = seal(GENUINE, renewed);
    const replaced = new Map([
      [two!.seq, genuine],
      [three!.seq, seal(FORGED, forger)],
      [four!.seq, genuine],
    ]);
    const page = await restart('alice', async (context) => {
      await swapPublicKeys(context, 'carol', renewed.record);
      await tamperJson(context, /^\/api\/rooms\/[^/]+\/keys$/, (body, url) =>
        url.pathname.includes(carolRoom)
          ? { keys: [...(body.keys as unknown[]), { epoch: 2, wrapperId: idOf('carol'), record: toBase64(wrapped) }] }
          : body,
      );
      await tamperMessages(context, (messages, roomId) =>
        roomId !== carolRoom
          ? messages
          : messages.map((m) => (replaced.has(m.seq) ? { ...m, epoch: 2, envelope: replaced.get(m.seq)! } : m)),
      );
    });

    await openConversation(page, 'carol');
    await warning(page).waitFor({ timeout: WAIT_MS });
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(4);
    expect(await messageTexts(page)).toEqual([]);
    expect(await unverified(page).first().textContent()).toContain("carol's safety number changed");

    await warning(page).getByRole('button', { name: 'Review safety number' }).click();
    await page.getByTestId('safety-number').waitFor();
    await page.getByRole('button', { name: 'Accept new key without verifying' }).click();
    await expect.poll(() => warning(page).count()).toBe(0);
    // Only the message written with the accepted key shows; the old key's message, the
    // forgery and the replay are refused, each for what is actually wrong with it.
    await expectConversation(page, [GENUINE]);
    await expect.poll(() => unverified(page).count(), { timeout: WAIT_MS }).toBe(3);
    const reasons = await unverified(page).allTextContents();
    expect(reasons.filter((text) => text.includes('its signature does not match the sender'))).toHaveLength(2);
    expect(reasons.filter((text) => text.includes('it repeats a message already received'))).toHaveLength(1);
    expect(await page.content()).not.toContain(FORGED);
    expect(await page.content()).not.toContain('carol two');
    await closeTampered(page.context());
  });

  it('a friend request from “bob” under a new id with the server’s keys: the verified-change warning on the request, which cannot be accepted', async () => {
    const newId = newUuid();
    const fake = impostor('bob', newId);
    let accepts = { count: 0 };
    const page = await restart('alice', async (context) => {
      accepts = countRequests(context, 'POST', /^\/api\/friends\/requests\/[^/]+\/accept$/);
      await tamperJson(context, /^\/api\/friends$/, (body) => ({
        ...body,
        incoming: [
          ...(body.incoming as unknown[]),
          {
            id: newUuid(),
            user: { id: newId, username: 'bob', publicKeys: fake.record },
            createdAt: new Date().toISOString(),
          },
        ],
      }));
    });
    const request = page.getByTestId('incoming-request').filter({ hasText: 'bob' });
    const alert = request.getByTestId('request-key-warning');
    await alert.waitFor({ timeout: WAIT_MS });
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.getAttribute('class')).toContain('key-warning-loud');
    expect(await alert.textContent()).toContain('bob’s verified safety number changed');
    expect(await request.getByRole('button', { name: 'Accept' }).isDisabled()).toBe(true);
    // The bob alice verified is still there, verified, and the impostor got nothing.
    await openConversation(page, 'bob');
    await page.getByTestId('verified-badge').waitFor();
    expect(accepts.count).toBe(0);
    await closeTampered(page.context());
  });

  it('a rolled-back key bundle: after a 409 the server serves an older copy; refused with the vault’s message, nothing saved over it, pins kept', async () => {
    const dave = await newAccountAskingAlice('dave');
    let bundle!: Awaited<ReturnType<typeof tamperBundle>>;
    const page = await restart('alice', async (context) => {
      bundle = await tamperBundle(context);
    });
    const loggedIn = bundle.loggedIn!;
    // Accepting dave pins his key: the bundle is saved again, one revision up.
    const before = bundle.stored;
    await acceptRequest(page, 'dave');
    await expect.poll(() => bundle.stored, { timeout: WAIT_MS }).toBeGreaterThan(before);

    bundle.rollBackTo(loggedIn);
    const stored = bundle.stored;
    await markVerified(page, 'dave');
    const problem = page.getByTestId('trust-save-problem');
    await problem.waitFor({ timeout: WAIT_MS });
    expect(await problem.textContent()).toContain(ROLLED_BACK_MESSAGE);
    expect(bundle.refused).toBeGreaterThan(0);
    expect(bundle.forged).toBeGreaterThan(0);
    expect(bundle.stored).toBe(stored);
    // The page keeps what it knows: dave verified, bob still verified.
    expect(await page.getByTestId('verified-badge').count()).toBe(1);
    await openConversation(page, 'bob');
    await page.getByTestId('verified-badge').waitFor();
    await closeTampered(page.context());
    await closeTampered(dave.context());
  });

  it('a 409 followed by the bundle from before a verification: the merge keeps the verified mark, also after a restart', async () => {
    let bundle!: Awaited<ReturnType<typeof tamperBundle>>;
    const page = await restart('alice', async (context) => {
      bundle = await tamperBundle(context);
    });
    await openConversation(page, 'dave');
    expect(await page.getByTestId('verified-badge').count()).toBe(0);
    // The server refuses the save of the verification as "changed meanwhile", then serves
    // the genuine bundle it holds, which has dave unverified.
    bundle.conflictNext();
    const stored = bundle.stored;
    await markVerified(page, 'dave');
    await expect.poll(() => bundle.refused, { timeout: WAIT_MS }).toBe(1);
    await expect.poll(() => bundle.stored, { timeout: WAIT_MS }).toBeGreaterThan(stored);
    expect(await page.getByTestId('trust-save-problem').count()).toBe(0);
    await closeTampered(page.context());

    const again = await restart('alice', async () => {});
    await openConversation(again, 'dave');
    await again.getByTestId('verified-badge').waitFor({ timeout: WAIT_MS });
    await closeTampered(again.context());
  });

  it('lowered KDF iterations on the passphrase change page, and at the log-in after the session is lost: refused, nothing sent', async () => {
    let lowered = false;
    let changes = { count: 0 };
    let logins = { count: 0 };
    const lower = (body: Record<string, unknown>) =>
      lowered && typeof body.kdfParams === 'string'
        ? { ...body, kdfParams: withIterations(body.kdfParams, 600_000) }
        : body;
    const page = await restart('alice', async (context) => {
      changes = countRequests(context, 'POST', /^\/api\/account\/passphrase$/);
      logins = countRequests(context, 'POST', /^\/api\/auth\/login$/);
      await tamperJson(context, /^\/api\/account\/bundle$/, lower);
      await tamperJson(context, /^\/api\/auth\/kdf$/, lower, 'POST');
    });
    // Client-side navigation keeps the page's memory: the iteration count it logged in with.
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    await openAccount(page);
    await page.click('a[href="/account/passphrase/"]');
    await page.waitForURL(/\/account\/passphrase\/$/);
    lowered = true;
    const change = () =>
      fillAndSubmit(page, {
        '#current-passphrase': PASS.alice,
        '#new-passphrase': 'a cheaper passphrase to guess',
        '#new-passphrase-confirm': 'a cheaper passphrase to guess',
      });
    await change();
    await page.getByRole('alert').filter({ hasText: LOWERED_KDF }).waitFor({ timeout: WAIT_MS });
    expect(changes.count).toBe(0);

    // The session ends behind the page's back; it sends the person to log in again, in the same page.
    await page.context().clearCookies();
    await change();
    await page.waitForURL(/\/login\/$/, { timeout: WAIT_MS });
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    await fillAndSubmit(page, { '#username': 'alice', '#passphrase': PASS.alice });
    await page.getByRole('alert').filter({ hasText: LOWERED_KDF }).waitFor({ timeout: WAIT_MS });
    expect(logins.count).toBe(1);
    expect(changes.count).toBe(0);
    await closeTampered(page.context());
  });

  it('a final message replayed in a new session after the person’s new question: flagged as a replay, not counted or shown as new', async () => {
    const { alice, bob } = first as Record<Name, Page>;
    const bobRoom = room('alice', 'bob');
    await openConversation(alice, 'bob');
    await openConversation(bob, 'alice');
    await sendText(bob, 'Yes, do it');
    await expect.poll(() => messageTexts(alice), { timeout: WAIT_MS }).toContain('Yes, do it');
    // Where bob's chain got to is saved to alice's account a few seconds after she got it
    // (a save another session raced is fetched, merged and sent again).
    await savedAfterNow(alice);
    const yes = (await stored(bobRoom)).filter((m) => m.senderId === idOf('bob')).at(-1)!;

    let reposted: WireMessage | null = null;
    let push!: (event: string, payload: unknown) => void;
    const page = await restart('alice', async (context) => {
      push = await socketInjector(context);
      // The server's store without the original, and with the copy once it is posted again.
      await rewriteHistory(context, bobRoom, (messages) => [
        ...messages.filter((m) => m.seq !== yes.seq),
        ...(reposted ? [reposted] : []),
      ]);
    });
    await openConversation(page, 'bob');
    await expect.poll(() => messageTexts(page), { timeout: WAIT_MS }).toContain('bob three');
    expect(await messageTexts(page)).not.toContain('Yes, do it');
    await sendText(page, 'Shall I delete the old backups?');
    const question = page.locator('[data-testid=message][data-mine=true][data-state=sent]', {
      hasText: 'Shall I delete the old backups?',
    });
    await question.waitFor({ timeout: WAIT_MS });
    const questionSeq = Number(await question.getAttribute('data-seq'));

    // Away from bob's conversation, the server posts bob's old answer again, as if new.
    await openConversation(page, 'carol');
    reposted = { ...yes, seq: questionSeq + 1, createdAt: new Date().toISOString() };
    push('message:new', reposted);
    const bobEntry = friendEntry(page, 'bob');
    await expect
      .poll(() => bobEntry.locator('.friend-preview').textContent(), { timeout: WAIT_MS })
      .toBe('⚠ Delivered again: Yes, do it');
    expect(await bobEntry.getByTestId('unread').count()).toBe(0);
    expect(await page.title()).toBe('OnionChat');

    await openConversation(page, 'bob');
    const row = messageRow(page, 'Yes, do it');
    await row.waitFor({ timeout: WAIT_MS });
    expect(await row.getAttribute('data-flag')).toBe('replayed');
    expect(await row.getByTestId('delivery-warning').textContent()).toContain(
      'the server may have delivered it again (a replay). It is not shown as new.',
    );
    const texts = await messageTexts(page);
    expect(texts.slice(0, 4)).toEqual(['bob one', 'bob two', 'bob three', 'alice to bob']);
    expect(texts.slice(-2)).toEqual(['Shall I delete the old backups?', 'Yes, do it']);
    await closeTampered(page.context());
  });

  it('re-timed messages, in history and live: shown with the warning and their signed time, not as new', async () => {
    const bobRoom = room('alice', 'bob');
    const bobOne = sentBy('bob', bobRoom)[0]!;
    const HOURS = 3 * 60 * 60_000;
    const later = (iso: string) => new Date(Date.parse(iso) + HOURS).toISOString();
    const page = await restart('alice', async (context) => {
      await tamperMessages(context, (messages) =>
        messages.map((m) =>
          m.seq === bobOne.seq && m.roomId === bobRoom ? { ...m, createdAt: later(m.createdAt) } : m,
        ),
      );
      await tamperSocketEvents(context, (event, payload) =>
        event === 'message:new' && payload.senderId === idOf('bob')
          ? { ...payload, createdAt: later(payload.createdAt as string) }
          : payload,
      );
    });
    await openConversation(page, 'bob');
    const one = messageRow(page, 'bob one');
    await one.waitFor({ timeout: WAIT_MS });
    expect(await one.getAttribute('data-flag')).toBe('re-timed');
    expect(await one.getByTestId('delivery-warning').textContent()).toContain(
      'the server may have held it back, replayed or re-timed it',
    );
    // The time shown is the one bob signed, not the server's.
    const shown = Date.parse((await one.locator('.msg-meta time').getAttribute('datetime'))!);
    expect(Math.abs(shown - Date.parse(bobOne.createdAt))).toBeLessThan(60_000);

    await openConversation(page, 'carol');
    await sendText(first.bob!, 'held back for hours');
    const bobEntry = friendEntry(page, 'bob');
    await expect
      .poll(() => bobEntry.locator('.friend-preview').textContent(), { timeout: WAIT_MS })
      .toBe('⚠ Delivered at the wrong time: held back for hours');
    expect(await bobEntry.getByTestId('unread').count()).toBe(0);
    await openConversation(page, 'bob');
    const live = messageRow(page, 'held back for hours');
    await live.waitFor({ timeout: WAIT_MS });
    expect(await live.getAttribute('data-flag')).toBe('re-timed');
    expect(await live.getByTestId('delivery-warning').textContent()).toContain(
      'the server may have held it back, replayed or re-timed it',
    );
    await closeTampered(page.context());
  });
});
