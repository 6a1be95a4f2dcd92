import { equalBytes, isAllZero } from './bytes.js';
import { runNative, runSync, type Steps } from './crypto-steps.js';
import { ProtocolError } from './errors.js';
import { GROUP_MAX_MEMBERS, applyGroupChange, type GroupMember } from './group-change.js';
import {
  GROUP_RECORD_MAX_ENTRIES,
  decodeGroupRecord,
  groupRecordDigest,
  type DecodedGroupRecord,
  type GroupAction,
} from './group-record.js';
import { verifyGroupRecordStep } from './group-signature.js';
import { uuidToBytes } from './uuid.js';

const STARTS_EPOCH: ReadonlySet<GroupAction> = new Set(['create', 'add', 'remove', 'leave']);

/** The membership a verified chain of group records arrives at (PROTOCOL.md §19). */
export interface GroupState {
  roomId: string;
  /** The index of the last record applied. */
  index: number;
  /** groupRecordDigest of that record: what the next one must name as previous. */
  head: Uint8Array;
  epoch: number;
  members: ReadonlyMap<string, GroupMember>;
  /** The members of the state that started each epoch: who may hold, wrap and use its key. */
  epochMembers: ReadonlyMap<number, ReadonlySet<string>>;
  /** The latest record carrying info, or null. */
  info: { index: number; epoch: number; sealed: Uint8Array } | null;
  last: DecodedGroupRecord;
}

/** The room the client asked for, and the member limit (GROUP_MAX_MEMBERS unless the server set another). */
export interface GroupExpectation {
  roomId: string;
  maxMembers?: number;
}

export interface GroupChainFailure {
  /** The index the failing record should have had: its place in the chain. */
  index: number;
  /** Its signer as it names itself, or null for a record that does not decode. */
  signerId: string | null;
  error: ProtocolError;
}

export interface GroupChainResult {
  /** The state after the last record that passed, or the start when none did. */
  state: GroupState | null;
  failure: GroupChainFailure | null;
}

/**
 * The state after `record`, or a ProtocolError for the first rule it fails, in the
 * order of §19: decoding; the room asked for ('context-mismatch'); the chain
 * ('bad-chain'); the epoch ('bad-chain'); a signer who is a member ('not-entitled');
 * the signature ('bad-signature'); the signer's right ('not-entitled'); the change
 * making sense ('bad-room'). Pure: `state` is never changed. null starts a chain.
 */
export function applyGroupRecord(state: GroupState | null, record: Uint8Array, expected: GroupExpectation): GroupState {
  return runSync(applySteps(state, record, expected));
}

/** applyGroupRecord with the engine's native Ed25519 where it has one. */
export function applyGroupRecordAsync(
  state: GroupState | null,
  record: Uint8Array,
  expected: GroupExpectation,
): Promise<GroupState> {
  return runNative(applySteps(state, record, expected));
}

/**
 * Applies `records` in order to `start` (null: the records start at index 0) and
 * stops at the first that fails. A client holding a verified state passes it as
 * `start` with only the records after it, so a listing that forks from what it
 * verified fails ('bad-chain') instead of replacing it.
 */
export function verifyGroupChain(
  records: readonly Uint8Array[],
  expected: GroupExpectation,
  start: GroupState | null = null,
): GroupChainResult {
  return runSync(chainSteps(records, expected, start));
}

/** verifyGroupChain with the engine's native Ed25519 where it has one. */
export function verifyGroupChainAsync(
  records: readonly Uint8Array[],
  expected: GroupExpectation,
  start: GroupState | null = null,
): Promise<GroupChainResult> {
  return runNative(chainSteps(records, expected, start));
}

function* chainSteps(
  records: readonly Uint8Array[],
  expected: GroupExpectation,
  start: GroupState | null,
): Steps<GroupChainResult> {
  let state = start;
  for (const record of records) {
    try {
      state = yield* applySteps(state, record, expected);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const index = state === null ? 0 : state.index + 1;
      return { state, failure: { index, signerId: signerOf(record), error } };
    }
  }
  return { state, failure: null };
}

function* applySteps(state: GroupState | null, record: Uint8Array, expected: GroupExpectation): Steps<GroupState> {
  const limit = checkExpectation(expected);
  const decoded = decodeGroupRecord(record);
  checkRoom(state, decoded, expected);
  checkContinues(state, decoded);
  checkEpoch(state, decoded);
  const signPublicKey = signerKey(state, decoded);
  if (!(yield* verifyGroupRecordStep(record, signPublicKey))) {
    throw new ProtocolError('bad-signature', `Group record ${decoded.index} is not signed by ${decoded.signerId}.`);
  }
  const change = applyGroupChange(state?.members ?? new Map(), decoded, limit);
  return nextState(state, decoded, record, change);
}

/** The member limit; the room id must be canonical, since ids compare as text. */
function checkExpectation(expected: GroupExpectation): number {
  uuidToBytes(expected.roomId);
  const limit = expected.maxMembers ?? GROUP_MAX_MEMBERS;
  if (!Number.isInteger(limit) || limit < 1 || limit > GROUP_RECORD_MAX_ENTRIES) {
    throw new ProtocolError(
      'bad-encoding',
      `A group's member limit must be 1 to ${GROUP_RECORD_MAX_ENTRIES}, got ${limit}.`,
    );
  }
  return limit;
}

/** The record, and the state it would extend, are of the room the client asked for. */
function checkRoom(state: GroupState | null, record: DecodedGroupRecord, expected: GroupExpectation): void {
  if (record.roomId !== expected.roomId || (state !== null && state.roomId !== expected.roomId)) {
    throw new ProtocolError(
      'context-mismatch',
      `Group record ${record.index} belongs to another room than ${expected.roomId}.`,
    );
  }
}

/** Index 0 is a create with zeros before it; every later record names the head it follows. */
function checkContinues(state: GroupState | null, record: DecodedGroupRecord): void {
  const continues =
    state === null
      ? record.index === 0 && record.action === 'create' && isAllZero(record.previous)
      : record.index === state.index + 1 && record.action !== 'create' && equalBytes(record.previous, state.head);
  if (!continues) {
    const after = state === null ? 'the start of the chain' : `record ${state.index}`;
    throw new ProtocolError('bad-chain', `Group record ${record.index} does not follow ${after}.`);
  }
}

/** create: 1; add, remove and leave: one more, with a fresh key nobody outside the new list holds; role and rename: the same. */
function checkEpoch(state: GroupState | null, record: DecodedGroupRecord): void {
  const before = state?.epoch ?? 0;
  const want = STARTS_EPOCH.has(record.action) ? before + 1 : before;
  if (record.epoch !== want) {
    throw new ProtocolError('bad-chain', `Group record ${record.index} carries epoch ${record.epoch}, not ${want}.`);
  }
}

/**
 * The key the record must verify under: the signer's as the state holds it, or for
 * a create its own admin entry's (the creator vouches for itself). 'not-entitled'
 * for a signer who is neither.
 */
function signerKey(state: GroupState | null, record: DecodedGroupRecord): Uint8Array {
  const signer =
    state === null
      ? record.entries.find((entry) => entry.userId === record.signerId && entry.role === 'admin')
      : state.members.get(record.signerId);
  if (signer === undefined) {
    throw new ProtocolError(
      'not-entitled',
      `Group record ${record.index} is signed by ${record.signerId}, who is not ${state === null ? 'an admin it lists' : 'a member'}.`,
    );
  }
  return signer.signPublicKey;
}

function nextState(
  state: GroupState | null,
  record: DecodedGroupRecord,
  bytes: Uint8Array,
  members: ReadonlyMap<string, GroupMember>,
): GroupState {
  const epochMembers = new Map(state?.epochMembers ?? []);
  if (record.epoch !== state?.epoch) epochMembers.set(record.epoch, new Set(members.keys()));
  const info = record.info.length > 0 ? { index: record.index, epoch: record.epoch, sealed: record.info } : null;
  return {
    roomId: record.roomId,
    index: record.index,
    head: groupRecordDigest(bytes),
    epoch: record.epoch,
    members,
    epochMembers,
    info: info ?? state?.info ?? null,
    last: record,
  };
}

function signerOf(record: Uint8Array): string | null {
  try {
    return decodeGroupRecord(record).signerId;
  } catch {
    return null;
  }
}
