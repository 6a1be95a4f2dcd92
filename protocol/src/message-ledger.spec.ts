import { describe, expect, it } from 'vitest';
import { MessageLedger } from './message-ledger.js';
import type { MessageHeader } from './message.js';
import { newUuid } from './uuid.js';

function header(overrides: Partial<MessageHeader> = {}): MessageHeader {
  return { roomId: newUuid(), epoch: 1, senderId: newUuid(), messageId: newUuid(), sentAt: 0, ...overrides };
}

describe('MessageLedger', () => {
  it('accepts a message once and flags it as a replay after that', () => {
    const ledger = new MessageLedger();
    const h = header();
    expect(ledger.has(h.roomId, h.senderId, h.messageId)).toBe(false);
    ledger.accept(h);
    expect(ledger.has(h.roomId, h.senderId, h.messageId)).toBe(true);
    expect(() => ledger.accept(h)).toThrow(expect.objectContaining({ code: 'replay' }));
    // Re-sent later, in another epoch or with another time: still the same message.
    expect(() => ledger.accept({ ...h, epoch: 2, sentAt: 1_000 })).toThrow(expect.objectContaining({ code: 'replay' }));
  });

  it('keys entries by room and by sender', () => {
    const ledger = new MessageLedger();
    const h = header();
    ledger.accept(h);
    const otherRoom = { ...h, roomId: newUuid() };
    const otherSender = { ...h, senderId: newUuid() };
    expect(ledger.has(otherRoom.roomId, h.senderId, h.messageId)).toBe(false);
    ledger.accept(otherRoom);
    ledger.accept(otherSender);
    expect(() => ledger.accept(otherRoom)).toThrow(expect.objectContaining({ code: 'replay' }));
    expect(() => ledger.accept(otherSender)).toThrow(expect.objectContaining({ code: 'replay' }));
  });

  it('holds many messages', () => {
    const ledger = new MessageLedger();
    const roomId = newUuid();
    const headers = Array.from({ length: 1000 }, () => header({ roomId }));
    for (const h of headers) ledger.accept(h);
    for (const h of headers) expect(() => ledger.accept(h)).toThrow(expect.objectContaining({ code: 'replay' }));
    expect(ledger.has(roomId, newUuid(), newUuid())).toBe(false);
  });
});
