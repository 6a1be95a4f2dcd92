import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/items.js';
import {
  DEFAULT_NOTIFY_SETTINGS,
  PREVIEW_MAX_CHARS,
  decideAlert,
  type AlertContext,
  type IncomingMessages,
  type NotifySettings,
} from './alert-policy.js';

function item(text: string | null, patch: Partial<ChatItem> = {}): ChatItem {
  return {
    key: 'seq:1',
    roomId: 'room',
    seq: 1,
    senderId: 'alice-id',
    mine: false,
    state: 'sent',
    text,
    file: null,
    unsupportedType: null,
    note: null,
    time: 1,
    messageId: 'm1',
    ...patch,
  };
}

const names: Record<string, string> = { 'alice-id': 'alice', 'carol-id': 'carol' };
function incoming(items: ChatItem[], patch: Partial<IncomingMessages> = {}): IncomingMessages {
  return { roomId: 'room', title: 'alice', group: false, items, nameOf: (id) => names[id] ?? 'someone', ...patch };
}

const away: AlertContext = { activeRoomId: null, visible: false, focused: false, systemAllowed: true };
const settings = (patch: Partial<NotifySettings> = {}): NotifySettings => ({ ...DEFAULT_NOTIFY_SETTINGS, ...patch });

describe('alert policy', () => {
  it('plays a sound and shows who wrote, not what, by default', () => {
    const decision = decideAlert(incoming([item('the secret plan')]), away, settings());
    expect(decision).toEqual({
      sound: true,
      system: { title: 'New message from alice', body: 'Open OnionChat to read it.', tag: 'onionchat-room' },
    });
    expect(JSON.stringify(decision)).not.toContain('secret');
  });

  it('shows the start of the message only when previews are on', () => {
    const long = 'x'.repeat(PREVIEW_MAX_CHARS + 10);
    expect(decideAlert(incoming([item('hi  there\nyou')]), away, settings({ preview: true })).system?.body).toBe(
      'hi there you',
    );
    expect(decideAlert(incoming([item(long)]), away, settings({ preview: true })).system?.body).toBe(
      `${'x'.repeat(PREVIEW_MAX_CHARS)}…`,
    );
    const file = { name: 'plan.pdf', mime: 'application/pdf', size: 1, fileId: 'f', key: null, digest: null };
    expect(decideAlert(incoming([item(null, { file })]), away, settings({ preview: true })).system?.body).toBe(
      'File: plan.pdf',
    );
  });

  it('counts several messages and names the group', () => {
    const items = [item('a'), item('b', { senderId: 'carol-id' })];
    expect(decideAlert(incoming(items, { group: true, title: 'Book club' }), away, settings()).system?.title).toBe(
      '2 new messages in Book club',
    );
    expect(decideAlert(incoming([item('a'), item('b')]), away, settings()).system?.title).toBe(
      '2 new messages from alice',
    );
    expect(
      decideAlert(incoming([item('a')], { group: true, title: 'Book club' }), away, settings()).system?.title,
    ).toBe('New message from alice in Book club');
  });

  it('stays quiet in the conversation being read, and not in another one', () => {
    const reading: AlertContext = { activeRoomId: 'room', visible: true, focused: true, systemAllowed: true };
    expect(decideAlert(incoming([item('a')]), reading, settings())).toEqual({ sound: false, system: null });
    const elsewhere = { ...reading, activeRoomId: 'other' };
    expect(decideAlert(incoming([item('a')]), elsewhere, settings()).sound).toBe(true);
    // Open but in a background tab or another window: nobody is reading it.
    expect(decideAlert(incoming([item('a')]), { ...reading, visible: false }, settings()).sound).toBe(true);
    expect(decideAlert(incoming([item('a')]), { ...reading, focused: false }, settings()).system).not.toBeNull();
  });

  it('never alerts for own messages, notices or timer changes', () => {
    const quiet = { sound: false, system: null };
    expect(decideAlert(incoming([item('mine', { mine: true })]), away, settings())).toEqual(quiet);
    expect(decideAlert(incoming([item('carol joined', { state: 'notice' })]), away, settings())).toEqual(quiet);
    expect(decideAlert(incoming([item(null, { timer: 60 })]), away, settings())).toEqual(quiet);
    expect(decideAlert(incoming([]), away, settings())).toEqual(quiet);
    // Only the others' messages are counted.
    const mixed = [item('x', { mine: true }), item('y'), item(null, { timer: 60 })];
    expect(decideAlert(incoming(mixed), away, settings()).system?.title).toBe('New message from alice');
  });

  it('follows the settings and what the browser allows', () => {
    expect(decideAlert(incoming([item('a')]), away, settings({ sound: false }))).toMatchObject({ sound: false });
    expect(decideAlert(incoming([item('a')]), away, settings({ system: false })).system).toBeNull();
    expect(decideAlert(incoming([item('a')]), { ...away, systemAllowed: false }, settings())).toEqual({
      sound: true,
      system: null,
    });
    expect(decideAlert(incoming([item('a')]), away, settings({ muted: new Set(['room']) }))).toEqual({
      sound: false,
      system: null,
    });
  });
});
