// Edits, deletions, reactions and replies as a conversation shows them: the
// protocol's rules (resolveActions, PROTOCOL.md §21) decide which actions count; here
// their outcome is put on the messages they name, and the action messages themselves
// leave the list. A member's action the rules refuse is shown as such: it is either a
// forgery by a member or the server pointing it elsewhere.

import {
  reactionCounts,
  resolveActions,
  type ActionMessage,
  type ActionRefusal,
  type HeldMessage,
  type ResolvedActions,
} from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { CONVERSATION_PHRASES } from './conversation-phrases.js';
import type { ChatItem, ReplyPreview } from './items.js';

const say = sayer(CONVERSATION_PHRASES);

/** A seq no stored message has: this client's own action on its way names only stored ones, so it comes after. */
const NOT_STORED_YET = Number.MAX_SAFE_INTEGER;

/**
 * What the rules need of each message held: verified ones, and erased ones (seq and
 * sender only). `only`: just the messages at these seqs (the ones actions name), so a
 * long conversation is not copied for a few actions.
 */
export function heldMessages(items: readonly ChatItem[], only?: ReadonlySet<number>): HeldMessage[] {
  const held: HeldMessage[] = [];
  for (const item of items) {
    if (item.seq === null || (only && !only.has(item.seq))) continue;
    if (item.erased) held.push({ seq: item.seq, id: null, senderId: item.senderId, kind: 'other' });
    else if ((item.state === 'sent' || item.state === 'notice') && item.messageId) {
      held.push({ seq: item.seq, id: item.messageId, senderId: item.senderId, kind: kindOf(item) });
    }
  }
  return held;
}

function kindOf(item: ChatItem): HeldMessage['kind'] {
  if (item.action || item.state !== 'sent' || (item.timer !== null && item.timer !== undefined)) return 'other';
  if (item.file) return 'file';
  return item.text !== null ? 'text' : 'other';
}

/** The actions held: verified ones, and this client's own still on their way (shown at once). */
export function actionMessages(items: readonly ChatItem[]): ActionMessage[] {
  const actions: ActionMessage[] = [];
  for (const item of items) {
    if (!item.action || !item.messageId) continue;
    const verified = item.state === 'sent' && item.seq !== null;
    const ownUnsent = item.mine && (item.state === 'pending' || item.state === 'failed');
    if (!verified && !ownUnsent) continue;
    actions.push({
      id: item.messageId,
      seq: item.seq ?? NOT_STORED_YET,
      senderId: item.senderId,
      sentAt: item.sentAt ?? item.time,
      action: item.action,
    });
  }
  return actions;
}

export function resolveHeld(items: readonly ChatItem[]): ResolvedActions {
  const actions = actionMessages(items);
  const named = new Set(actions.map((message) => message.action.target.seq));
  return resolveActions(heldMessages(items, named), actions);
}

/**
 * The messages as shown: each with its latest edit, its reactions and what it
 * answers; deleted ones without content; the actions themselves left out, except a
 * refused one from someone else (shown as refused) and this client's own that failed
 * to go out (so it can be tried again).
 */
export function applyActions(items: readonly ChatItem[], meId: string, nameOf: (userId: string) => string): ChatItem[] {
  const resolved = resolveHeld(items);
  const shown: ChatItem[] = [];
  for (const item of items) {
    if (item.action) {
      const kept = actionShown(item, resolved.refused.get(item.messageId ?? ''), nameOf);
      if (kept) shown.push(kept);
      continue;
    }
    shown.push(withOutcome(item, resolved, meId));
  }
  const bySeq = new Map(shown.filter((item) => item.seq !== null).map((item) => [item.seq as number, item]));
  return shown.map((item) => (item.replyTo ? { ...item, reply: replyPreview(item, bySeq) } : item));
}

function withOutcome(item: ChatItem, resolved: ResolvedActions, meId: string): ChatItem {
  const outcome = item.seq === null ? undefined : resolved.targets.get(item.seq);
  if (!outcome) return item;
  if (outcome.deleted) return deletedItem(item, outcome.deletedCounter);
  const reactions = reactionCounts(outcome).map((reaction) => ({
    ...reaction,
    mine: reaction.userIds.includes(meId),
  }));
  return {
    ...item,
    ...(outcome.edit ? { text: outcome.edit.text, editedAt: outcome.edit.sentAt } : {}),
    ...(reactions.length > 0 ? { reactions } : {}),
  };
}

/** A deleted message: its place (seq, sender, counter) stays, its content goes. */
export function deletedItem(item: ChatItem, counter: ChatItem['counter']): ChatItem {
  return {
    ...item,
    state: 'sent',
    deleted: true,
    text: null,
    file: null,
    unsupportedType: null,
    note: null,
    replyTo: null,
    reply: null,
    reactions: [],
    editedAt: null,
    counter: item.counter ?? counter ?? null,
  };
}

function actionShown(
  item: ChatItem,
  refusal: ActionRefusal | undefined,
  nameOf: (userId: string) => string,
): ChatItem | null {
  if (item.mine) return item.state === 'failed' ? { ...item, text: ownActionText(item) } : null;
  if (!refusal || refusal === 'waiting') return null;
  return {
    ...item,
    state: 'unverified',
    text: null,
    note: refusalSentence(item, refusal, nameOf(item.senderId)),
    action: null,
  };
}

function ownActionText(item: ChatItem): string {
  const action = item.action!;
  if (action.kind === 'edit') return say('conversation.ownAction.edit', { text: action.text });
  if (action.kind === 'delete') return say('conversation.ownAction.delete');
  return action.emoji === ''
    ? say('conversation.ownAction.removeReaction')
    : say('conversation.ownAction.reaction', { emoji: action.emoji });
}

const REFUSED = {
  edit: 'conversation.refused.edit',
  delete: 'conversation.refused.delete',
  reaction: 'conversation.refused.reaction',
} as const;

/** Why a member's action does nothing, in words. */
export function refusalSentence(item: ChatItem, refusal: ActionRefusal, name: string): string {
  return say(REFUSED[item.action!.kind], { name, reason: refusalReason(refusal) });
}

function refusalReason(refusal: ActionRefusal): string {
  switch (refusal) {
    case 'not-own':
      return say('conversation.refusal.notOwn');
    case 'wrong-target':
    case 'not-earlier':
      return say('conversation.refusal.moved');
    case 'not-text':
      return say('conversation.refusal.notText');
    case 'not-a-message':
      return say('conversation.refusal.notAMessage');
    default:
      return say('conversation.refusal.deleted');
  }
}

function replyPreview(item: ChatItem, bySeq: Map<number, ChatItem>): ReplyPreview {
  const ref = item.replyTo!;
  const target = bySeq.get(ref.seq);
  // A deleted message whose content the server erased has no id left to compare.
  if (target?.deleted && (target.messageId === null || target.messageId === ref.id)) {
    return { ref, key: target.key, state: 'deleted', senderId: target.senderId, text: null, fileName: null };
  }
  if (!target || target.messageId !== ref.id || target.state !== 'sent') {
    return { ref, key: null, state: 'missing', senderId: null, text: null, fileName: null };
  }
  return {
    ref,
    key: target.key,
    state: 'shown',
    senderId: target.senderId,
    text: target.text,
    fileName: target.file?.name ?? null,
  };
}

/**
 * The items with deleted messages' content gone (text, file key and name), and the
 * words of edits to them too: a deletion takes the message out of this client's
 * memory, not only out of sight. The same array when nothing was deleted.
 */
export function forgetDeleted(items: ChatItem[]): ChatItem[] {
  if (!items.some((item) => item.action?.kind === 'delete')) return items;
  const { targets } = resolveHeld(items);
  let changed = false;
  const kept = items.map((item) => {
    const outcome = item.seq === null ? undefined : targets.get(item.seq);
    if (outcome?.deleted && !item.deleted) {
      changed = true;
      return deletedItem(item, outcome.deletedCounter);
    }
    const action = item.action;
    if (action?.kind === 'edit' && action.text !== '' && targets.get(action.target.seq)?.deleted) {
      changed = true;
      // Refused as an edit of a deleted message whatever its words, so they can go.
      return { ...item, action: { ...action, text: '' } };
    }
    return item;
  });
  return changed ? kept : items;
}
