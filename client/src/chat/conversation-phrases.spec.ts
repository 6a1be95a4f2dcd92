import { newUuid } from '@onionchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemNotice } from '../notify/alert-policy.js';
import { deliveryWarning } from '../present/message-rows.js';
import { setSpeaker, type PhraseValues } from '../present/phrasebook.js';
import { sequenceNotices } from '../trust/sequence.js';
import { refusalSentence } from './actions-view.js';
import { timerNotice } from './disappearing.js';
import type { ChatItem } from './items.js';

/** Says each key with its values, so a spec sees which sentence was chosen and what went in. */
function keyed(key: string, values: PhraseValues | undefined): string {
  return values ? `${key}(${JSON.stringify(values)})` : key;
}

function item(patch: Partial<ChatItem> = {}): ChatItem {
  return {
    key: 'seq:1',
    roomId: 'room',
    seq: 1,
    senderId: 'bob-id',
    mine: false,
    state: 'sent',
    text: 'hello',
    file: null,
    unsupportedType: null,
    note: null,
    time: 1,
    messageId: 'm1',
    ...patch,
  };
}

describe("a conversation's sentences in the reader's language", () => {
  beforeEach(() => setSpeaker({ phrase: keyed, duration: (seconds) => `<${seconds}s>` }));
  afterEach(() => setSpeaker(null));

  it('words a timer notice by whoever set it, with the length in the reader’s words', () => {
    expect(timerNotice('me', 86_400)).toBe('conversation.timer.setMine({"duration":"<86400s>"})');
    expect(timerNotice({ name: 'Alice' }, 86_400)).toBe(
      'conversation.timer.set({"name":"Alice","duration":"<86400s>"})',
    );
    expect(timerNotice('me', 0)).toBe('conversation.timer.offMine');
    expect(timerNotice({ name: null }, 0)).toBe('conversation.timer.offUnknown');
  });

  it('counts the messages a gap notice says are missing', () => {
    const chain = newUuid();
    const counted = (n: number, key: string) => item({ key, counter: { chain, n } });
    const notices = sequenceNotices([counted(1, 'a'), counted(4, 'b')], true, () => 'bob');
    expect(notices.get('b')).toBe('conversation.sequence.missing({"count":2,"name":"bob"})');
  });

  it('says a refused action as one sentence with its reason said inside it', () => {
    const edit = item({ action: { kind: 'edit', target: { seq: 1, id: 'x' }, text: 'changed' } });
    expect(refusalSentence(edit, 'not-own', 'bob')).toBe(
      'conversation.refused.edit({"name":"bob","reason":"conversation.refusal.notOwn"})',
    );
  });

  it('titles a system notification by sender and group, with the count', () => {
    const message = { roomId: 'room', title: 'Book club', group: true, items: [], nameOf: () => 'bob' };
    const notice = systemNotice(message, [item(), item({ key: 'seq:2' })], false);
    expect(notice.title).toBe('conversation.notify.titleFromInGroup({"count":2,"name":"bob","group":"Book club"})');
    expect(notice.body).toBe('conversation.notify.hiddenBody');
  });

  it('puts the times of a late delivery into the warning as phrases of their own', () => {
    const now = new Date(2026, 11, 3, 12, 0, 0).getTime();
    const late = item({ sentAt: now, time: now, flag: { kind: 're-timed', reason: 'behind' } });
    expect(deliveryWarning(late, 'bob', now)).toMatch(
      /^conversation\.delivery\.behind\(\{"sent":"conversation\.delivery\.atTime\(.*\)","name":"bob","delivered":/,
    );
  });
});
