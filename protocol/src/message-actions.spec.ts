// Replays the edit, deletion, reaction, reply and receipt vectors of
// protocol/testdata/rules.json (PROTOCOL.md §21 and §22): the bodies every reader
// accepts or refuses, and which actions a reader honours from what it holds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import {
  reactionCounts,
  resolveActions,
  type ActionMessage,
  type HeldMessage,
  type ResolvedActions,
} from './action-rules.js';
import { utf8Encode } from './bytes.js';
import {
  deleteMessageBody,
  editMessageBody,
  reactionMessageBody,
  readMessageAction,
  readReplyTo,
  type MessageAction,
  type MessageRef,
} from './message-actions.js';
import { decodeMessageBody, encodeMessageBody, type MessageBody } from './message-body.js';
import { judgeReceiptRef, readReceipt, receiptBody, type Receipt, type ReceiptRefusal } from './receipt.js';

interface Vectors {
  messageActions: {
    bodies: { name: string; body: MessageBody; action: MessageAction | null }[];
    invalidBodies: { name: string; body: MessageBody; error: string }[];
    replies: { name: string; body: MessageBody; replyTo: MessageRef | null }[];
    held: HeldMessage[];
    resolve: { name: string; actions: ActionMessage[]; expected: unknown }[];
  };
  receipts: {
    bodies: { name: string; body: MessageBody; receipt: Receipt }[];
    invalidBodies: { name: string; body: MessageBody; error: string }[];
    held: HeldMessage[];
    judgements: {
      name: string;
      ref: MessageRef;
      signerId: string;
      complete: boolean;
      refusal: ReceiptRefusal | null;
    }[];
  };
}
const vectors = JSON.parse(readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8')) as Vectors;
const { messageActions, receipts } = vectors;

function summary(resolved: ResolvedActions): unknown {
  return {
    targets: [...resolved.targets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([seq, outcome]) => ({
        seq,
        deleted: outcome.deleted,
        deletedCounter: outcome.deletedCounter,
        edit: outcome.edit,
        reactions: reactionCounts(outcome),
      })),
    refused: Object.fromEntries([...resolved.refused.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

describe('message action vectors (rules.json)', () => {
  it.each(messageActions.bodies)('reads $name', (v) => {
    expect(readMessageAction(v.body)).toEqual(v.action);
    expect(decodeMessageBody(utf8Encode(JSON.stringify(v.body)))).toEqual(v.body);
  });
  it.each(messageActions.invalidBodies)('refuses $name with $error', (v) => {
    expect(code(() => decodeMessageBody(utf8Encode(JSON.stringify(v.body))))).toBe(v.error);
    expect(code(() => encodeMessageBody(v.body))).toBe(v.error);
  });
  it.each(messageActions.replies)('reads the reply of $name', (v) => {
    expect(readReplyTo(v.body)).toEqual(v.replyTo);
  });
  it.each(messageActions.resolve)('resolves: $name', (v) => {
    expect(summary(resolveActions(messageActions.held, v.actions))).toEqual(v.expected);
    // The order actions arrive in never changes the outcome.
    expect(summary(resolveActions(messageActions.held, [...v.actions].reverse()))).toEqual(v.expected);
  });
});

describe('receipt vectors (rules.json)', () => {
  it.each(receipts.bodies)('reads $name', (v) => {
    expect(readReceipt(v.body)).toEqual(v.receipt);
    expect(receiptBody(v.receipt)).toEqual(v.body);
  });
  it.each(receipts.invalidBodies)('refuses $name with $error', (v) => {
    expect(code(() => decodeMessageBody(utf8Encode(JSON.stringify(v.body))))).toBe(v.error);
  });
  it.each(receipts.judgements)('judges $name', (v) => {
    expect(judgeReceiptRef(v.ref, v.signerId, receipts.held, v.complete)).toBe(v.refusal);
  });
});

describe('action bodies a sender writes', () => {
  const target = { id: '00000000-0000-4000-8000-000000000001', seq: 4 };
  it('writes bodies its readers accept', () => {
    expect(readMessageAction(editMessageBody(target, 'new'))).toEqual({ kind: 'edit', target, text: 'new' });
    expect(readMessageAction(reactionMessageBody(target, '🎉'))).toEqual({ kind: 'reaction', target, emoji: '🎉' });
    const counter = { chain: '00000000-0000-4000-8000-00000000000c', n: 2 };
    expect(readMessageAction(deleteMessageBody(target, counter))).toEqual({ kind: 'delete', target, counter });
    expect(readMessageAction(deleteMessageBody(target, null))).toEqual({ kind: 'delete', target, counter: null });
  });
  it('refuses to write what readers refuse', () => {
    expect(code(() => reactionMessageBody(target, 'lol'))).toBe('bad-content');
    expect(code(() => editMessageBody(target, ''))).toBe('bad-content');
    expect(code(() => editMessageBody({ ...target, seq: -1 }, 'x'))).toBe('bad-content');
  });
});
