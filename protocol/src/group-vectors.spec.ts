// Replays the group vectors: records and info in protocol/testdata/vectors.json
// (`group`) and chains in protocol/testdata/rules.json (`groupChain`), both through
// tweetnacl and through the native path. See docs/PROTOCOL.md section 19.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import {
  applyGroupRecordAsync,
  decodeGroupRecord,
  entitledGroupSender,
  entitledGroupWrapper,
  fromHex,
  groupRecordDigest,
  identityFromSeeds,
  openGroupInfo,
  sealGroupInfo,
  signGroupRecord,
  signGroupRecordAsync,
  toHex,
  verifyGroupChain,
  verifyGroupChainAsync,
  verifyGroupRecordSignature,
  type GroupAction,
  type GroupInfo,
  type GroupRole,
  type GroupState,
  type ProtocolErrorCode,
} from './index.js';

interface HexFields {
  roomId: string;
  index: number;
  previous: string;
  signerId: string;
  epoch: number;
  sentAt: number;
  action: GroupAction;
  entries: { userId: string; role: GroupRole; signPublicKey: string }[];
  info: string;
}
interface GroupVectors {
  roomId: string;
  roomKeys: Record<string, string>;
  info: {
    valid: { name: string; info: GroupInfo; roomKey: string; nonce: string; sealed: string }[];
    reads: { name: string; info: GroupInfo; roomKey: string; sealed: string }[];
    invalid: { name: string; sealed: string; roomKey: string; error: ProtocolErrorCode }[];
  };
  valid: { name: string; signer: string; fields: HexFields; info: GroupInfo | null; record: string; digest: string }[];
  invalid: { name: string; record: string; error: ProtocolErrorCode }[];
}
interface HexMember {
  userId: string;
  role: 'member' | 'admin';
  signPublicKey: string;
  addedBy: string;
  addedAt: number;
}
interface StateSummary {
  index: number;
  head: string;
  epoch: number;
  members: HexMember[];
  epochMembers: Record<string, string[]>;
  info: { index: number; epoch: number } | null;
}
interface ChainCase {
  name: string;
  maxMembers?: number;
  records: string[];
  state: StateSummary | null;
  failure: { index: number; signerId: string | null; error: ProtocolErrorCode } | null;
  wrappers?: { epoch: number; memberId: string; wrapperId: string; error: ProtocolErrorCode | null }[];
  senders?: { epoch: number; senderId: string; error: ProtocolErrorCode | null }[];
}
interface User {
  id: string;
  username: string;
  boxSecretKey: string;
  signSeed: string;
}

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../testdata/${name}`, import.meta.url), 'utf8'));
const { group, users } = read('vectors.json') as { group: GroupVectors; users: User[] };
const { groupChain } = read('rules.json') as { groupChain: { roomId: string; chains: ChainCase[] } };

const identityOf = (username: string) => {
  const user = users.find((u) => u.username === username)!;
  return identityFromSeeds(user.username, fromHex(user.boxSecretKey), fromHex(user.signSeed));
};
const fieldsOf = (f: HexFields) => ({
  ...f,
  previous: fromHex(f.previous),
  entries: f.entries.map((e) => ({ ...e, signPublicKey: fromHex(e.signPublicKey) })),
  info: fromHex(f.info),
});

describe('group info vectors', () => {
  it.each(group.info.valid)('$name', (v) => {
    expect(toHex(sealGroupInfo(v.info, fromHex(v.roomKey), fromHex(v.nonce)))).toBe(v.sealed);
    expect(openGroupInfo(fromHex(v.sealed), fromHex(v.roomKey))).toEqual(v.info);
  });

  it.each(group.info.reads)('reads $name', (v) => {
    expect(openGroupInfo(fromHex(v.sealed), fromHex(v.roomKey))).toEqual(v.info);
  });

  it.each(group.info.invalid)('rejects $name with $error', (v) => {
    expect(code(() => openGroupInfo(fromHex(v.sealed), fromHex(v.roomKey)))).toBe(v.error);
  });
});

describe('group record vectors', () => {
  it.each(group.valid)('$name', async (v) => {
    const signer = identityOf(v.signer);
    const fields = fieldsOf(v.fields);
    expect(toHex(signGroupRecord(fields, signer))).toBe(v.record);
    expect(toHex(await signGroupRecordAsync(fields, signer))).toBe(v.record);
    const record = fromHex(v.record);
    const { signature, ...decoded } = decodeGroupRecord(record);
    expect(decoded).toEqual(fields);
    expect(toHex(signature)).toBe(v.record.slice(-128));
    expect(toHex(groupRecordDigest(record))).toBe(v.digest);
    expect(verifyGroupRecordSignature(record, signer.signPublicKey)).toBe(true);
    const info = v.info === null ? null : openGroupInfo(fields.info, fromHex(group.roomKeys[v.fields.epoch]!));
    expect(info).toEqual(v.info);
  });

  it('form one chain', () => {
    const { failure, state } = verifyGroupChain(
      group.valid.map((v) => fromHex(v.record)),
      { roomId: group.roomId },
    );
    expect(failure).toBeNull();
    expect(toHex(state!.head)).toBe(group.valid.at(-1)!.digest);
  });

  it.each(group.invalid)('rejects $name with $error', (v) => {
    expect(code(() => decodeGroupRecord(fromHex(v.record)))).toBe(v.error);
  });
});

function summary(state: GroupState | null): StateSummary | null {
  if (state === null) return null;
  const members = [...state.members.values()]
    .map((m) => ({ ...m, signPublicKey: toHex(m.signPublicKey) }))
    .sort((a, b) => (a.userId < b.userId ? -1 : 1));
  const epochMembers = Object.fromEntries([...state.epochMembers].map(([e, set]) => [String(e), [...set].sort()]));
  const info = state.info && { index: state.info.index, epoch: state.info.epoch };
  return { index: state.index, head: toHex(state.head), epoch: state.epoch, members, epochMembers, info };
}

describe('group chain vectors', () => {
  const expectedOf = (c: ChainCase) => ({ roomId: groupChain.roomId, maxMembers: c.maxMembers });

  it.each(groupChain.chains)('$name', async (c) => {
    const records = c.records.map(fromHex);
    for (const result of [
      verifyGroupChain(records, expectedOf(c)),
      await verifyGroupChainAsync(records, expectedOf(c)),
    ]) {
      expect(summary(result.state)).toEqual(c.state);
      const failure = result.failure && { ...result.failure, error: result.failure.error.code };
      expect(failure).toEqual(c.failure);
    }
    const state = verifyGroupChain(records, expectedOf(c)).state;
    for (const w of c.wrappers ?? []) {
      expect(code(() => entitledGroupWrapper(state!, w.epoch, w.memberId, w.wrapperId)) ?? null).toBe(w.error);
    }
    for (const s of c.senders ?? []) {
      expect(code(() => entitledGroupSender(state!, s.epoch, s.senderId)) ?? null).toBe(s.error);
    }
  });

  it('apply one record at a time the same way', async () => {
    const whole = groupChain.chains[0]!;
    let state: GroupState | null = null;
    for (const hex of whole.records) state = await applyGroupRecordAsync(state, fromHex(hex), expectedOf(whole));
    expect(summary(state)).toEqual(whole.state);
  });
});
