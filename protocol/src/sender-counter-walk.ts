import { requireSenderCounter, type SenderCounter } from './message-body.js';

/**
 * A verified message from someone else, as the walk needs it: `key` names it
 * in the findings (the client's own key for the item), `counter` is what
 * readSenderCounter returned for its body.
 */
export interface CountedMessage {
  key: string;
  senderId: string;
  counter: SenderCounter;
}

/**
 * What the counters say happened before the message `at`: `count` messages of
 * that sender's chain were withheld ('missing'), or the message repeats or
 * comes after a later one of its chain ('out-of-order': reordered or replayed).
 */
export type SenderCounterFinding =
  | { at: string; senderId: string; kind: 'missing'; count: number }
  | { at: string; senderId: string; kind: 'out-of-order' };

type Verdict = { kind: 'missing'; count: number } | { kind: 'out-of-order' } | null;

/**
 * Section 18: walks a conversation's verified messages from others, in
 * sequence order, per (sender, chain). `complete`: the whole history is held,
 * so a chain's first message must be its number 1. A sequence number missing
 * from the list is no excuse: the counters say how many messages the sender
 * wrote. At most one finding per message, in the order of `messages`. Throws
 * 'bad-content' for a counter readSenderCounter would refuse.
 */
export function walkSenderCounters(messages: readonly CountedMessage[], complete: boolean): SenderCounterFinding[] {
  const findings: SenderCounterFinding[] = [];
  const lastBySender = new Map<string, Map<string, number>>();
  for (const message of messages) {
    const { chain, n } = requireSenderCounter(message.counter.chain, message.counter.n);
    const last = chainsOf(lastBySender, message.senderId);
    const before = last.get(chain);
    const verdict = judge(n, before, complete);
    if (verdict !== null) findings.push({ at: message.key, senderId: message.senderId, ...verdict });
    // A message that went backwards must not lower the mark, or the one after it would look like a gap.
    last.set(chain, Math.max(n, before ?? 0));
  }
  return findings;
}

function judge(n: number, before: number | undefined, complete: boolean): Verdict {
  if (before === undefined) return complete && n > 1 ? { kind: 'missing', count: n - 1 } : null;
  if (n === before + 1) return null;
  if (n > before + 1) return { kind: 'missing', count: n - before - 1 };
  return { kind: 'out-of-order' };
}

/** Keyed by sender, then chain: two maps, so no id can be spelled to collide with another pair. */
function chainsOf(lastBySender: Map<string, Map<string, number>>, senderId: string): Map<string, number> {
  let chains = lastBySender.get(senderId);
  if (chains === undefined) {
    chains = new Map();
    lastBySender.set(senderId, chains);
  }
  return chains;
}
