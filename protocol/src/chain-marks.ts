import { ByteReader } from './byte-reader.js';
import { concatBytes, encodeU64 } from './bytes.js';
import { ProtocolError } from './errors.js';
import { checkVersion } from './fields.js';
import { UUID_BYTES, bytesToUuid, uuidToBytes } from './uuid.js';

/** Key bundle extension type of the chain marks (PROTOCOL.md §6, §18). */
export const CHAIN_MARKS_EXTENSION = 4;
export const CHAIN_MARKS_VERSION = 1;
/** roomId(16) senderId(16) chain(16) n(u64) seq(u64) */
export const CHAIN_MARK_BYTES = 3 * UUID_BYTES + 8 + 8;
/**
 * Marks kept at most; the least recently updated go first. 400 marks are 25.6 KB,
 * well inside the 64 KiB bundle beside the other extensions, and cover far more
 * conversation partners than anyone writes to between two log-ins.
 */
export const CHAIN_MARKS_MAX = 400;
const WHAT = 'Chain marks';

/**
 * The newest sender chain this account has accepted messages of, per (room,
 * sender): the highest counter `n` of that chain and the server sequence number
 * `seq` it arrived at. Kept in the key bundle so a replay is caught in any later
 * session, in any browser.
 */
export interface ChainMark {
  roomId: string;
  senderId: string;
  chain: string;
  n: number;
  seq: number;
}

/** A verified message's place: its sender chain and counter, and the sequence number the server filed it at. */
export interface ChainPosition {
  chain: string;
  n: number;
  seq: number;
}

/**
 * version(1)=1 || entries, each roomId(16) senderId(16) chain(16) n(u64) seq(u64),
 * least recently updated first. At most CHAIN_MARKS_MAX entries, one per (room, sender).
 */
export function encodeChainMarks(marks: readonly ChainMark[]): Uint8Array {
  if (marks.length > CHAIN_MARKS_MAX) {
    throw new ProtocolError('too-large', `${WHAT} hold at most ${CHAIN_MARKS_MAX} entries, got ${marks.length}.`);
  }
  const keys = new Set<string>();
  const entries = marks.map((mark) => {
    checkMark(mark);
    claimKey(keys, mark);
    return concatBytes(
      uuidToBytes(mark.roomId),
      uuidToBytes(mark.senderId),
      uuidToBytes(mark.chain),
      encodeU64(mark.n),
      encodeU64(mark.seq),
    );
  });
  return concatBytes(Uint8Array.of(CHAIN_MARKS_VERSION), ...entries);
}

/**
 * Must reject: another version ('bad-version'); a length that is not
 * 1 + 64 × k or more than CHAIN_MARKS_MAX entries ('bad-length'); two entries for
 * one (room, sender), an n or seq of 0 or above 2^53 - 1 ('bad-encoding').
 */
export function decodeChainMarks(value: Uint8Array): ChainMark[] {
  checkVersion(value, CHAIN_MARKS_VERSION, WHAT);
  const body = value.length - 1;
  if (body % CHAIN_MARK_BYTES !== 0 || body / CHAIN_MARK_BYTES > CHAIN_MARKS_MAX) {
    throw new ProtocolError(
      'bad-length',
      `${WHAT} must be 1 byte plus up to ${CHAIN_MARKS_MAX} entries of ${CHAIN_MARK_BYTES} bytes, got ${value.length} bytes.`,
    );
  }
  const reader = new ByteReader(value, WHAT);
  reader.u8('version');
  const keys = new Set<string>();
  const marks: ChainMark[] = [];
  while (reader.remaining > 0) {
    const mark: ChainMark = {
      roomId: bytesToUuid(reader.take(UUID_BYTES, 'room id')),
      senderId: bytesToUuid(reader.take(UUID_BYTES, 'sender id')),
      chain: bytesToUuid(reader.take(UUID_BYTES, 'chain')),
      n: reader.u64('n'),
      seq: reader.u64('seq'),
    };
    checkMark(mark);
    claimKey(keys, mark);
    marks.push(mark);
  }
  return marks;
}

/** The mark of (room, sender), or null. */
export function chainMarkFor(marks: readonly ChainMark[], roomId: string, senderId: string): ChainMark | null {
  return marks.find((mark) => mark.roomId === roomId && mark.senderId === senderId) ?? null;
}

/**
 * The marks after accepting a verified message at `position`. Per (room, sender)
 * only the newest chain is kept: a chain's higher n replaces its mark, a chain
 * first seen at a later seq replaces another chain's mark, anything else leaves
 * the marks as they are. A changed mark moves to the end (most recently updated);
 * beyond CHAIN_MARKS_MAX the oldest-updated are dropped. Returns a new array.
 */
export function updateChainMarks(
  marks: readonly ChainMark[],
  update: { roomId: string; senderId: string } & ChainPosition,
): ChainMark[] {
  const next: ChainMark = { ...update };
  checkMark(next);
  const current = chainMarkFor(marks, update.roomId, update.senderId);
  if (current && newerMark(current, next) === current) return [...marks];
  return capped([...marks.filter((mark) => mark !== current), next]);
}

/**
 * Is a verified message at `position` consistent with the stored mark of its room
 * and sender? Within the mark's chain, n and seq must rise together: the same n
 * at another seq, an n at or below the mark at a later seq, or at or above it at
 * an earlier seq, means the server delivered a message again ('replayed'). A
 * message of another chain cannot be judged by this mark ('ok').
 */
export function judgeAgainstMark(mark: ChainMark | null, position: ChainPosition): 'ok' | 'replayed' {
  if (mark === null || position.chain !== mark.chain) return 'ok';
  return Math.sign(position.n - mark.n) === Math.sign(position.seq - mark.seq) ? 'ok' : 'replayed';
}

/**
 * Two sets of marks combined (this session's and what another session stored):
 * per (room, sender) the newer mark wins, as updateChainMarks would decide. The
 * stored order comes first, then this session's changes, capped like an update.
 */
export function mergeChainMarks(local: readonly ChainMark[], stored: readonly ChainMark[]): ChainMark[] {
  let merged: ChainMark[] = [...stored];
  for (const mark of local) merged = updateChainMarks(merged, mark);
  return merged;
}

/** Of two marks of one (room, sender), the one to keep. */
function newerMark(current: ChainMark, next: ChainMark): ChainMark {
  if (current.chain === next.chain) return next.n > current.n ? next : current;
  return next.seq > current.seq ? next : current;
}

function capped(marks: ChainMark[]): ChainMark[] {
  return marks.length > CHAIN_MARKS_MAX ? marks.slice(marks.length - CHAIN_MARKS_MAX) : marks;
}

function checkMark(mark: ChainMark): void {
  uuidToBytes(mark.roomId);
  uuidToBytes(mark.senderId);
  uuidToBytes(mark.chain);
  for (const [field, value] of [
    ['n', mark.n],
    ['seq', mark.seq],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ProtocolError('bad-encoding', `${WHAT}: ${field} must be an integer from 1 to 2^53 - 1, got ${value}.`);
    }
  }
}

function claimKey(keys: Set<string>, mark: ChainMark): void {
  const key = `${mark.roomId} ${mark.senderId}`;
  if (keys.has(key)) {
    throw new ProtocolError(
      'bad-encoding',
      `${WHAT} hold two entries for sender ${mark.senderId} in room ${mark.roomId}.`,
    );
  }
  keys.add(key);
}
