// The server turns malicious against a group: the test harness between the real pages
// and the real server slips in a member with a record nobody entitled signed, forges a
// change of role, drops a removal it had handed out, and delivers a removed member's
// message sealed under the key the removal ended. Each time the page says so, and the
// forged member, role or message never shows as real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import {
  createIdentity,
  decodeGroupRecord,
  fromBase64,
  groupRecordDigest,
  newUuid,
  signGroupRecord,
  toBase64,
  type GroupAction,
  type GroupEntry,
} from '@onionchat/protocol';
import { launchBrowser } from './support/browser.js';
import { startServer, type ServerProcess } from './support/server.js';
import { fillAndSubmit, signUpAt } from './support/pages.js';
import { acceptRequest, messageTexts, requestFriend, sendText } from './support/chat-steps.js';
import {
  closeMembers,
  createGroup,
  expectGroupSendingBlocked,
  groupItem,
  groupMembers,
  groupNotices,
  groupWarning,
  openGroup,
  openMembers,
  removeMember,
} from './support/group-steps.js';
import { closeTampered, closeTamperedBrowser, impostor, rewriteHistory, tamperJson } from './support/tamper.js';
import { WAIT_MS } from './support/wait.js';

const PASS = {
  alice: 'she runs the newsroom desk',
  bob: 'he edits the late edition',
  carol: 'handles the sources quietly',
  dave: 'is leaving the paper soon',
};
type Name = keyof typeof PASS;
const NAMES = Object.keys(PASS) as Name[];
const GROUP = 'Newsroom';

/** The socket between a page and the server, as the harness sees it. */
interface SocketTap {
  /** Pushes a socket.io event to the page, as the server would. */
  push: (event: string, payload: unknown) => void;
  /** While true, the page's message:send frames are kept here and never reach the server. */
  swallow: boolean;
  swallowed: { roomId: string; clientId: string; envelope: string }[];
}

let server: ServerProcess;
let browser: Browser;
const page = {} as Record<Name, Page>;
const tap = {} as Record<Name, SocketTap>;
const ids = new Map<string, string>();
let roomId = '';

beforeAll(async () => {
  // bob logs in again for several attacks.
  server = await startServer({
    REGISTRATION: 'open',
    RATE_LOGIN_PER_ACCOUNT_PER_15_MIN: '100',
    RATE_LOGIN_PER_CLIENT_PER_15_MIN: '100',
  });
  browser = await launchBrowser();
  await Promise.all(
    NAMES.map(async (name) => {
      const context = await browser.newContext();
      tap[name] = await tapSocket(context);
      page[name] = await context.newPage();
      await signUpAt(page[name], `${server.origin}/signup/`, name, PASS[name]);
    }),
  );
  for (const [i, friend] of (['bob', 'carol', 'dave'] as const).entries()) {
    await requestFriend(page.alice, friend);
    await page.alice.getByTestId('outgoing-request').nth(i).waitFor({ timeout: WAIT_MS });
  }
  await Promise.all((['bob', 'carol', 'dave'] as const).map((name) => acceptRequest(page[name], 'alice')));
  await page.alice.getByTestId('friend').nth(2).waitFor({ timeout: WAIT_MS });
}, 240_000);

afterAll(async () => {
  await closeTamperedBrowser(browser);
  await server?.stop();
});

async function tapSocket(context: BrowserContext): Promise<SocketTap> {
  let latest: WebSocketRoute | null = null;
  const socket: SocketTap = {
    push: (event, payload) => {
      if (!latest) throw new Error('the page has no WebSocket open');
      latest.send(`42${JSON.stringify([event, payload])}`);
    },
    swallow: false,
    swallowed: [],
  };
  await context.routeWebSocket(/\/api\/socket\//, (ws) => {
    const upstream = ws.connectToServer();
    latest = ws;
    ws.onMessage((frame) => {
      const send = typeof frame === 'string' ? /^42\d*\["message:send",(.*)\]$/s.exec(frame) : null;
      if (send && socket.swallow) {
        socket.swallowed.push(JSON.parse(send[1]!));
        return;
      }
      upstream.send(frame);
    });
    upstream.onMessage((frame) => ws.send(frame));
  });
  return socket;
}

/** A fresh browser profile (like Tor Browser after a restart) logged in as `name`, with the attack installed first. */
async function restart(name: Name, attack: (context: BrowserContext) => Promise<void>): Promise<Page> {
  const context = await browser.newContext();
  await attack(context);
  const fresh = await context.newPage();
  await fresh.goto(`${server.origin}/login/`);
  await fillAndSubmit(fresh, { '#username': name, '#passphrase': PASS[name] });
  await fresh.waitForURL(/\/chat\/(#.*)?$/, { timeout: WAIT_MS });
  return fresh;
}

interface FiledRecord {
  index: number;
  record: string;
  afterSeq: number;
}

/** The group's records exactly as the server files them (fetched with alice's session). */
async function filedRecords(): Promise<FiledRecord[]> {
  const answer = await page.alice.evaluate(
    async (id) => (await fetch(`/api/groups/${id}/records`)).json() as Promise<{ records: FiledRecord[] }>,
    roomId,
  );
  return answer.records;
}

/** The next record on the filed chain in `signer`'s name, signed with a key the server made up. */
async function forge(
  signer: Name,
  action: GroupAction,
  entries: GroupEntry[],
  newEpoch: boolean,
): Promise<FiledRecord> {
  const records = await filedRecords();
  const last = records[records.length - 1]!;
  const bytes = fromBase64(last.record);
  const previous = decodeGroupRecord(bytes);
  const record = signGroupRecord(
    {
      roomId,
      index: previous.index + 1,
      previous: groupRecordDigest(bytes),
      signerId: ids.get(signer)!,
      epoch: previous.epoch + (newEpoch ? 1 : 0),
      sentAt: Date.now(),
      action,
      entries,
      info: newEpoch ? randomBytes(64) : new Uint8Array(0),
    },
    createIdentity('forger'),
  );
  return { index: previous.index + 1, record: toBase64(record), afterSeq: last.afterSeq };
}

/** Rewrites the group's record listings (every page, whatever `after` it asks from). */
async function tamperRecords(context: BrowserContext, edit: (records: FiledRecord[]) => FiledRecord[]): Promise<void> {
  await tamperJson(context, /^\/api\/groups\/[^/]+\/records$/, (body, url) => {
    const after = url.searchParams.get('after');
    const records = edit(body.records as FiledRecord[]).filter((r) => after === null || r.index > Number(after));
    return { ...body, records };
  });
}

const membersShown = async (on: Page, me: Name) => (await groupMembers(on, me)).map((row) => row.split(' ')[0]).sort();
const adminsShown = (on: Page) => on.getByTestId('members-dialog').getByTestId('admin-badge').count();

describe('a malicious server, against a group in the browser', () => {
  it('first, the honest way: alice makes a group of four and writes to it', async () => {
    await createGroup(page.alice, GROUP, ['bob', 'carol', 'dave']);
    roomId = (await groupItem(page.alice, GROUP).getAttribute('data-room-link'))!;
    const rooms = await page.alice.evaluate(async () => (await fetch('/api/rooms')).json());
    for (const room of rooms.rooms as { members: { id: string; username: string }[] }[]) {
      for (const member of room.members) ids.set(member.username, member.id);
    }
    await Promise.all((['bob', 'carol', 'dave'] as const).map((name) => openGroup(page[name], GROUP)));
    await sendText(page.alice, 'before anything happened');
    for (const name of NAMES) {
      await expect.poll(() => messageTexts(page[name]), { timeout: WAIT_MS }).toEqual(['before anything happened']);
    }
  });

  it('forges a change of role in alice’s name: a warning, the role never changes, nothing is sent', async () => {
    const forged = await forge(
      'alice',
      'role',
      [{ userId: ids.get('carol')!, role: 'admin', signPublicKey: new Uint8Array(32) }],
      false,
    );
    const fresh = await restart('bob', (context) => tamperRecords(context, (records) => [...records, forged]));
    await openGroup(fresh, GROUP);
    await groupWarning(fresh).waitFor({ timeout: WAIT_MS });
    expect(await groupWarning(fresh).textContent()).toContain(`record ${forged.index} by alice`);
    expect(await groupWarning(fresh).textContent()).toContain('its signature does not match its signer');
    await openMembers(fresh);
    expect(await adminsShown(fresh)).toBe(1);
    expect(await groupMembers(fresh, 'bob')).toContain('carol member added-by');
    await closeMembers(fresh);
    expect(await groupNotices(fresh)).not.toContain('alice made carol an admin');
    await expectGroupSendingBlocked(fresh, 'bob writes under a forged role change');
    await expect.poll(() => messageTexts(fresh)).toEqual(['before anything happened']);
    expect(await messageTexts(page.alice)).not.toContain('bob writes under a forged role change');
    await closeTampered(fresh.context());
  });

  it('slips in a listener with a record nobody entitled signed: a warning, and the listener is never a member', async () => {
    const malloryId = newUuid();
    const mallory = impostor('mallory', malloryId);
    const forged = await forge(
      'alice',
      'add',
      [{ userId: malloryId, role: 'member', signPublicKey: mallory.identity.signPublicKey }],
      true,
    );
    const fresh = await restart('bob', async (context) => {
      await tamperRecords(context, (records) => [...records, forged]);
      // The server's own member list names her too.
      await tamperJson(context, /^\/api\/rooms$/, (body) => {
        for (const room of body.rooms as { id: string; members: unknown[] }[]) {
          if (room.id === roomId) room.members.push({ id: malloryId, username: 'mallory', publicKeys: mallory.record });
        }
      });
    });
    await openGroup(fresh, GROUP);
    await groupWarning(fresh).waitFor({ timeout: WAIT_MS });
    expect(await groupWarning(fresh).textContent()).toContain('does not check out');
    expect(await groupItem(fresh, GROUP).textContent()).toContain('Member list does not check out');
    expect(await fresh.getByTestId('group-member-count').textContent()).toBe('4 members');
    await openMembers(fresh);
    expect(await membersShown(fresh, 'bob')).toEqual(['alice', 'bob', 'carol', 'dave']);
    expect(await fresh.getByTestId('members-dialog').textContent()).not.toContain('mallory');
    await closeMembers(fresh);
    expect(await groupNotices(fresh)).toEqual(['alice created the group']);
    await expectGroupSendingBlocked(fresh, 'bob writes with a listener slipped in');
    await closeTampered(fresh.context());
  });

  it('delivers a removed member’s message sealed under the key the removal ended: refused, never shown', async () => {
    // Dave writes, but the harness keeps his envelope (sealed under epoch 1) from the server.
    tap.dave.swallow = true;
    await sendText(page.dave, 'dave is still listening in');
    await expect.poll(() => tap.dave.swallowed.length, { timeout: WAIT_MS }).toBeGreaterThan(0);
    const kept = tap.dave.swallowed[0]!;
    expect(kept.roomId).toBe(roomId);

    await removeMember(page.alice, 'dave');
    await expect
      .poll(() => groupNotices(page.bob), { timeout: WAIT_MS })
      .toContain('alice removed dave; a new key is in use');
    await page.dave.getByTestId('group-gone').waitFor({ timeout: WAIT_MS });

    // The server files it after the removal, as if it had taken it under the old key, and
    // counts it in the room's last seq (a server that doctors its store, not one answer).
    const seq = (await filedRecords()).at(-1)!.afterSeq + 1;
    const late = { id: newUuid(), roomId, seq, senderId: ids.get('dave')!, epoch: 1, envelope: kept.envelope };
    const fresh = await restart('bob', async (context) => {
      await tamperJson(context, /^\/api\/rooms$/, (body) => {
        for (const room of body.rooms as { id: string; lastSeq: number }[]) if (room.id === roomId) room.lastSeq = seq;
      });
      await rewriteHistory(context, roomId, (messages) => [
        ...messages.filter((m) => m.seq < seq),
        { ...late, createdAt: new Date().toISOString() },
      ]);
    });
    await openGroup(fresh, GROUP);
    const refused = fresh.locator('[data-testid=message][data-state=unverified]');
    await expect.poll(() => messageTexts(fresh), { timeout: WAIT_MS }).toEqual(['before anything happened']);
    await expect.poll(() => refused.count(), { timeout: WAIT_MS }).toBe(1);
    await expect.poll(() => refused.textContent()).toContain('a key the group had already replaced');
    expect(await refused.textContent()).toContain('could not be verified');
    expect(await fresh.content()).not.toContain('still listening in');
    // (A fresh page learns names from the friends and rooms lists, which no longer name dave.)
    expect((await groupNotices(fresh)).at(-1)).toMatch(/^alice removed .+; a new key is in use$/);
    await closeTampered(fresh.context());
  });

  it('drops a removal it had handed out: the page that saw it warns, and sends nothing more', async () => {
    const records = await filedRecords();
    const removal = records[records.length - 1]!;
    expect(decodeGroupRecord(fromBase64(removal.record)).action).toBe('remove');
    const context = page.bob.context();
    // First the group goes missing from bob's list (so his page lets it go), then it comes back
    // without the removal, dave listed again.
    let phase: 'hide' | 'relist' = 'hide';
    await tamperJson(context, /^\/api\/rooms$/, (body) => {
      const rooms = body.rooms as { id: string; members: { id: string; username: string; publicKeys: string }[] }[];
      if (phase === 'hide') return { ...body, rooms: rooms.filter((room) => room.id !== roomId) };
    });
    await tamperRecords(context, (filed) =>
      phase === 'relist' ? filed.filter((r) => r.index < removal.index) : filed,
    );
    tap.bob.push('friends:changed', {});
    await expect.poll(() => groupItem(page.bob, GROUP).count(), { timeout: WAIT_MS }).toBe(0);
    phase = 'relist';
    tap.bob.push('friends:changed', {});
    await groupItem(page.bob, GROUP).waitFor({ timeout: WAIT_MS });
    await expect
      .poll(() => groupItem(page.bob, GROUP).textContent(), { timeout: WAIT_MS })
      .toContain('Member list does not check out');
    await openGroup(page.bob, GROUP);
    await groupWarning(page.bob).waitFor({ timeout: WAIT_MS });
    expect(await groupWarning(page.bob).textContent()).toContain(
      'the server left out changes this device already checked',
    );
    // The list shown is the one this page verified, not the server's older one with dave back in it.
    await openMembers(page.bob);
    expect(await membersShown(page.bob, 'bob')).toEqual(['alice', 'bob', 'carol']);
    expect(await page.bob.getByTestId('group-member-count').textContent()).toBe('3 members');
    await closeMembers(page.bob);
    await expectGroupSendingBlocked(page.bob, 'bob writes after the removal was dropped');
    expect(await messageTexts(page.alice)).not.toContain('bob writes after the removal was dropped');
  });
});
