import type { SenderCounter } from './body-fields.js';
import type { MessageAction } from './message-actions.js';
import { signedLater } from './signed-order.js';

/**
 * Which edits, deletions and reactions a reader honours (PROTOCOL.md §21). Only
 * messages that passed every check of sections 9 to 20 come here; these rules decide
 * what each does to the conversation, from what the reader holds.
 */

/** A message the reader holds, as the rules need it. */
export interface HeldMessage {
  seq: number;
  /** Its signed message id; null when the server erased its content (on its sender's request, or not). */
  id: string | null;
  senderId: string;
  /** 'other': a timer, a notice, an action, a type this reader does not know. */
  kind: 'text' | 'file' | 'other';
}

/** A verified action message. */
export interface ActionMessage {
  id: string;
  seq: number;
  senderId: string;
  /** Its signed send time (ms): the latest edit, and each member's latest reaction, wins. */
  sentAt: number;
  action: MessageAction;
}

/**
 * Why an action does nothing: 'waiting' (its target is not held: older history, or
 * withheld) is not a fault; the others are refusals a reader shows as such.
 */
export type ActionRefusal =
  | 'waiting'
  /** It names a seq at or after its own: actions only ever name earlier messages. */
  | 'not-earlier'
  /** The message at that seq has another id: the server moved it, or the sender lied. */
  | 'wrong-target'
  /** An edit or deletion of someone else's message. */
  | 'not-own'
  /** An edit of a message that is not text (a file, a timer, another action). */
  | 'not-text'
  /** A reaction to something that is not a text or file message. */
  | 'not-a-message'
  /** An edit or reaction to a deleted message. */
  | 'deleted';

export interface Reaction {
  emoji: string;
  sentAt: number;
  id: string;
}

/** What the honoured actions did to one target. */
export interface TargetOutcome {
  deleted: boolean;
  /** The deleted message's counter, as its deletion gives it (its place in its sender's sequence). */
  deletedCounter: SenderCounter | null;
  /** The latest edit, or null. */
  edit: { text: string; sentAt: number; id: string } | null;
  /** Each member's latest reaction (by user id); a reaction taken back ('') is left out. */
  reactions: Map<string, Reaction>;
}

export interface ResolvedActions {
  /** By target seq. */
  targets: Map<number, TargetOutcome>;
  /** Why each action that does nothing does nothing, by its message id. */
  refused: Map<string, ActionRefusal>;
}

/**
 * Applies `actions` to `held`:
 * - the target must be held at the seq named, with the id named (an erased target
 *   has no id to compare: only a deletion by its own sender applies to it);
 * - edits and deletions are the target's sender's alone; edits only of text;
 * - a deletion wins over every edit and reaction of its target, whatever the order;
 * - the latest edit, and each member's latest reaction, wins: by signed send time,
 *   a tie going to the greater message id (compared as text);
 * - a reaction applies to text and file messages only.
 */
export function resolveActions(held: readonly HeldMessage[], actions: readonly ActionMessage[]): ResolvedActions {
  const bySeq = new Map(held.map((message) => [message.seq, message]));
  const targets = new Map<number, TargetOutcome>();
  const refused = new Map<string, ActionRefusal>();
  const ordered = [...actions].sort((a, b) => deletionsFirst(a) - deletionsFirst(b));
  for (const message of ordered) {
    const refusal = judgeAction(message, bySeq, targets);
    if (refusal) refused.set(message.id, refusal);
    else apply(message, outcomeOf(targets, message.action.target.seq));
  }
  return { targets, refused };
}

function deletionsFirst(message: ActionMessage): number {
  return message.action.kind === 'delete' ? 0 : 1;
}

function judgeAction(
  { seq, senderId, action }: ActionMessage,
  bySeq: Map<number, HeldMessage>,
  targets: Map<number, TargetOutcome>,
): ActionRefusal | null {
  const { target } = action;
  if (target.seq >= seq) return 'not-earlier';
  const held = bySeq.get(target.seq);
  if (!held) return 'waiting';
  if (held.id !== null && held.id !== target.id) return 'wrong-target';
  const own = held.senderId === senderId;
  if (action.kind === 'delete') return own ? null : 'not-own';
  if (held.id === null || targets.get(target.seq)?.deleted) return 'deleted';
  if (action.kind === 'edit') {
    if (!own) return 'not-own';
    return held.kind === 'text' ? null : 'not-text';
  }
  return held.kind === 'other' ? 'not-a-message' : null;
}

function apply({ id, senderId, sentAt, action }: ActionMessage, outcome: TargetOutcome): void {
  if (action.kind === 'delete') {
    outcome.deleted = true;
    outcome.deletedCounter ??= action.counter;
    return;
  }
  if (action.kind === 'edit') {
    if (!outcome.edit || signedLater({ sentAt, id }, outcome.edit)) outcome.edit = { text: action.text, sentAt, id };
    return;
  }
  const current = outcome.reactions.get(senderId);
  if (!current || signedLater({ sentAt, id }, current))
    outcome.reactions.set(senderId, { emoji: action.emoji, sentAt, id });
}

function outcomeOf(targets: Map<number, TargetOutcome>, seq: number): TargetOutcome {
  let outcome = targets.get(seq);
  if (!outcome) {
    outcome = { deleted: false, deletedCounter: null, edit: null, reactions: new Map() };
    targets.set(seq, outcome);
  }
  return outcome;
}

/** The reactions a target shows: taken-back ones left out, grouped by emoji in first-reacted order. */
export function reactionCounts(outcome: TargetOutcome | undefined): { emoji: string; userIds: string[] }[] {
  if (!outcome || outcome.deleted) return [];
  const groups = new Map<string, string[]>();
  const reactions = [...outcome.reactions.entries()].sort(([, a], [, b]) => (signedLater(a, b) ? 1 : -1));
  for (const [userId, reaction] of reactions) {
    if (reaction.emoji === '') continue;
    groups.set(reaction.emoji, [...(groups.get(reaction.emoji) ?? []), userId]);
  }
  return [...groups.entries()].map(([emoji, userIds]) => ({ emoji, userIds: userIds.sort() }));
}
