// Gaps, repeats and reordering in what the server delivers, told from the sender
// counters inside each message's signed content (chain id + count from 1).

import { readSenderCounter, walkSenderCounters, type CountedMessage, type SenderCounter } from '@onionchat/protocol';
import { CONVERSATION_PHRASES } from '../chat/conversation-phrases.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(CONVERSATION_PHRASES);

/** What the notices need of a conversation item (the chat's ChatItem has all of it). */
export interface SequencedItem {
  /** Names the item the notice goes before. */
  key: string;
  /** null until the server has stored it. */
  seq: number | null;
  senderId: string;
  mine: boolean;
  /** Only 'sent' (verified) items are checked. */
  state: string;
  /** Where a verified message stands in its sender's sequence (null: none). */
  counter?: SenderCounter | null;
}

/**
 * Notices to show before items (by item key). `complete`: the whole history is
 * held, so a chain's first message must be its number 1. Only others' verified
 * messages are checked; a seq missing from the list is no excuse, since the
 * counters say how many messages the sender actually wrote (PROTOCOL.md §18).
 */
export function sequenceNotices(
  items: readonly SequencedItem[],
  complete: boolean,
  nameOf: (userId: string) => string,
): Map<string, string> {
  const counted: CountedMessage[] = [];
  for (const item of items) {
    if (item.seq === null || item.mine || item.state !== 'sent' || !item.counter) continue;
    if (!wellFormed(item.counter)) continue;
    counted.push({ key: item.key, senderId: item.senderId, counter: item.counter });
  }
  const notices = new Map<string, string>();
  for (const finding of walkSenderCounters(counted, complete)) {
    const name = nameOf(finding.senderId);
    notices.set(
      finding.at,
      finding.kind === 'missing' ? missing(finding.count, name) : say('conversation.sequence.outOfOrder', { name }),
    );
  }
  return notices;
}

/**
 * Counters come from readSenderCounter when a message is opened, so they are well
 * formed; one that is not (it would make the walk throw) is left out rather than
 * losing every notice.
 */
function wellFormed(counter: SenderCounter): boolean {
  try {
    readSenderCounter({ type: 'counter', chain: counter.chain, n: counter.n });
    return true;
  } catch {
    return false;
  }
}

function missing(count: number, name: string): string {
  return say('conversation.sequence.missing', { count, name });
}

/**
 * The signed send times of the messages seen of each sender chain in this session,
 * so a message can be judged against the one before it in its chain (judgeSendTime's
 * previousSentAt), whatever order pages of history arrive in.
 */
export class ChainSendTimes {
  private readonly chains = new Map<string, Map<number, number>>();

  /** The send time of the closest earlier message of the chain seen so far, or null. */
  previous(roomId: string, senderId: string, chain: string, n: number): number | null {
    let best: { n: number; sentAt: number } | null = null;
    for (const [seen, sentAt] of this.chains.get(chainKey(roomId, senderId, chain)) ?? []) {
      if (seen < n && (best === null || seen > best.n)) best = { n: seen, sentAt };
    }
    return best?.sentAt ?? null;
  }

  note(roomId: string, senderId: string, chain: string, n: number, sentAt: number): void {
    const key = chainKey(roomId, senderId, chain);
    let times = this.chains.get(key);
    if (!times) {
      times = new Map();
      this.chains.set(key, times);
    }
    if (!times.has(n)) times.set(n, sentAt);
  }

  forgetRoom(roomId: string): void {
    for (const key of [...this.chains.keys()]) if (key.startsWith(`${roomId} `)) this.chains.delete(key);
  }
}

/** UUIDs contain no spaces, so the triple is unambiguous. */
function chainKey(roomId: string, senderId: string, chain: string): string {
  return `${roomId} ${senderId} ${chain}`;
}
