// The member lists of groups as this client verified them (PROTOCOL.md §19): never the
// server's word. Each group's signed records are fetched after the last one verified
// and applied to that state, so a listing that forks from what this page saw, drops a
// record at the end, or carries a change nobody entitled signed stops the chain where
// it went wrong; the group then shows the last state that checked out, with a warning,
// and nothing is sent there until a later listing passes. In memory only.

import type { GroupRecordView } from '@onionchat/contract';
import {
  GROUP_MAX_MEMBERS,
  ProtocolError,
  applyGroupRecordAsync,
  decodeGroupRecord,
  equalBytes,
  fromBase64,
  groupRecordDigest,
  verifyGroupChainAsync,
  type DecodedGroupRecord,
  type GroupState,
} from '@onionchat/protocol';
import { sayer } from '../present/phrasebook.js';
import { ApiError } from '../transport/api-error.js';
import type { Api } from '../transport/api.js';
import { groupChange, startsEpoch, type GroupChange } from './group-change.js';
import { GROUP_PHRASES } from './group-phrases.js';

const say = sayer(GROUP_PHRASES);

/** Why nothing may be sent: this account left or was removed. */
export function notAMemberAnyMore(): string {
  return say('groups.chain.notMember');
}

/** Why nothing may be sent yet: the chain has not been fetched and checked. */
export function notVerifiedYet(): string {
  return say('groups.chain.notVerified');
}

/** Where a chain stopped checking out, kept until a later listing passes. */
export interface GroupChainProblem {
  /** The index the record should have had. */
  index: number;
  /** Who signed it (null when it does not decode, or for records the server left out). */
  signerId: string | null;
  error: ProtocolError;
}

/** What the UI reads of one group. A new object whenever something in it changed. */
export interface GroupChainView {
  roomId: string;
  /** The last state that checked out (null before anything did). */
  state: GroupState | null;
  /** The warning sentence while the chain does not check out, else null. */
  warning: string | null;
  /** Every verified change, in order, with where in the message sequence it was filed. */
  changes: readonly GroupChange[];
  /** The server answers as to someone who left or was removed (404). */
  gone: boolean;
}

export interface GroupChainsOptions {
  api: Pick<Api, 'groupRecords'>;
  /** The member limit the chain is judged with (GROUP_MAX_MEMBERS unless the server says otherwise; see useMaxMembers). */
  maxMembers?: number;
  /** A user's display name for the warning (default: the id). */
  nameOf?: (userId: string) => string;
}

interface Chain {
  state: GroupState | null;
  problem: GroupChainProblem | null;
  /** Per ended epoch, the afterSeq of the record that ended it. */
  endedAt: Map<number, number>;
  /** The digest of each verified record by index: what the server filed for our own changes is checked against it. */
  digests: Uint8Array[];
  changes: GroupChange[];
  /** The signing key the chain last gave each user it added, former members too: their earlier messages are checked with it. */
  keys: Map<string, Uint8Array>;
  gone: boolean;
  /**
   * The index of the state brought back after the server rolled this group back: the
   * warning stays, and nothing is sent, until a record after it checks out.
   */
  rolledBackAt: number | null;
  /** The sync under way, shared by everyone who asks meanwhile. */
  running: Promise<void> | null;
  /** Syncs and adopted records change the state one at a time, each on the state the last one left. */
  queue: Promise<void>;
  view: GroupChainView | null;
}

export class GroupChains {
  private limit: number;
  private readonly chains = new Map<string, Chain>();
  /** The highest index verified per room this session, kept when a room is forgotten (rollback). */
  private readonly highest = new Map<string, number>();
  /** The chains of forgotten groups: shown again if the server lists one rolled back. */
  private readonly kept = new Map<string, Chain>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: GroupChainsOptions) {
    this.limit = options.maxMembers ?? GROUP_MAX_MEMBERS;
  }

  /** The member limit the chains are judged with. */
  get maxMembers(): number {
    return this.limit;
  }

  /** The server's own limit, once its configuration is read: the records verified from now on are judged with it. */
  useMaxMembers(limit: number): void {
    this.limit = limit;
  }

  /**
   * Fetches and verifies the group's records after the last verified one. Concurrent
   * calls share one request; `announced` (a 'group:changed' index) asks once more when
   * the shared listing stopped short of it. Rejects with ApiError when the server could
   * not be reached; a 404 marks the group gone.
   */
  async sync(roomId: string, announced?: number): Promise<void> {
    await this.shared(roomId);
    const chain = this.chain(roomId);
    if (announced !== undefined && !chain.problem && !chain.gone && (chain.state?.index ?? -1) < announced) {
      await this.shared(roomId);
    }
  }

  /**
   * Takes a record this account made and the server filed (so it shows at once): applied
   * when it follows the verified state; checked against the record verified at its
   * index when a listing got there first; otherwise left to the next sync.
   */
  adopt(roomId: string, record: Uint8Array, afterSeq: number): Promise<void> {
    const chain = this.chain(roomId);
    return this.exclusive(chain, () => this.adoptNow(roomId, chain, record, afterSeq));
  }

  stateOf(roomId: string): GroupState | null {
    return this.chains.get(roomId)?.state ?? null;
  }

  /** The warning sentence while the group's chain does not check out. */
  warning(roomId: string): string | null {
    const problem = this.chains.get(roomId)?.problem;
    return problem ? this.describe(problem) : null;
  }

  /** Why nothing may be sent to (or changed in) the group now, or null. */
  sendBlock(roomId: string, meId: string): string | null {
    const chain = this.chains.get(roomId);
    if (chain?.problem) return this.describe(chain.problem);
    if (chain?.gone) return notAMemberAnyMore();
    if (!chain?.state) return notVerifiedYet();
    return chain.state.members.has(meId) ? null : notAMemberAnyMore();
  }

  /** The server answers as to someone who left or was removed (404). */
  isGone(roomId: string): boolean {
    return this.chains.get(roomId)?.gone ?? false;
  }

  /**
   * The signing key the verified chain gave a user who is or was a member (for someone
   * added twice, the last one), or null: a former member is no longer in the state, yet
   * their earlier messages must still be checked against the key an admin vouched for.
   */
  signKeyOf(roomId: string, userId: string): Uint8Array | null {
    const chain = this.chains.get(roomId);
    return chain?.state?.members.get(userId)?.signPublicKey ?? chain?.keys.get(userId) ?? null;
  }

  /** The afterSeq of the record that ended `epoch`, or null while it runs (or is not reached). */
  epochEndedAt(roomId: string, epoch: number): number | null {
    return this.chains.get(roomId)?.endedAt.get(epoch) ?? null;
  }

  view(roomId: string): GroupChainView {
    const chain = this.chain(roomId);
    if (chain.view) return chain.view;
    const problem = chain.problem;
    const describe = (known: GroupChainProblem) => this.describe(known);
    chain.view = {
      roomId,
      state: chain.state,
      // Worded when read, so it is in the reader's language of the moment.
      get warning() {
        return problem ? describe(problem) : null;
      },
      changes: chain.changes.slice(),
      gone: chain.gone,
    };
    return chain.view;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops a group (left, removed, gone from the list); what it verified is kept against a rollback. */
  forget(roomId: string): void {
    const chain = this.chains.get(roomId);
    if (!chain) return;
    if (chain.state) this.kept.set(roomId, chain);
    this.chains.delete(roomId);
    this.notify();
  }

  private shared(roomId: string): Promise<void> {
    const chain = this.chain(roomId);
    chain.running ??= this.exclusive(chain, () => this.load(roomId, chain)).finally(() => {
      chain.running = null;
    });
    return chain.running;
  }

  private exclusive(chain: Chain, task: () => Promise<void>): Promise<void> {
    const run = chain.queue.then(task);
    chain.queue = run.catch(() => undefined);
    return run;
  }

  private async adoptNow(roomId: string, chain: Chain, record: Uint8Array, afterSeq: number): Promise<void> {
    const decoded = decodeGroupRecord(record);
    const known = chain.digests[decoded.index];
    if (known) {
      if (!equalBytes(known, groupRecordDigest(record))) this.forked(roomId, chain, decoded);
      return;
    }
    if ((chain.state?.index ?? -1) !== decoded.index - 1 || chain.problem) return;
    let state: GroupState;
    try {
      state = await applyGroupRecordAsync(chain.state, record, this.expected(roomId));
    } catch (error) {
      // Built on the state verified here, yet it does not follow it: two histories.
      if (!(error instanceof ProtocolError)) throw error;
      this.changed(chain, { index: decoded.index, signerId: decoded.signerId, error });
      return;
    }
    this.applied(roomId, chain, state, [{ decoded, record, afterSeq }]);
  }

  /** Pages through the records after the verified state; a listing that passes clears a problem. */
  private async load(roomId: string, chain: Chain): Promise<void> {
    for (;;) {
      const page = await this.page(roomId, chain);
      if (!page) return;
      const passed = await this.take(roomId, chain, page.records);
      if (!passed) return;
      if (!page.hasMore || page.records.length === 0) break;
    }
    const rolledBack = this.rollback(roomId, chain);
    if (rolledBack) this.restore(roomId, chain);
    const problem = rolledBack ?? this.stillRolledBack(roomId, chain);
    if (problem || chain.problem) this.changed(chain, problem);
  }

  /**
   * The server listed a group with fewer records than this page verified: the members
   * shown are the ones verified then (not the older list the server wants believed),
   * and the chain continues from there.
   */
  private restore(roomId: string, chain: Chain): void {
    const kept = this.kept.get(roomId);
    if (!kept?.state || kept.state.index <= (chain.state?.index ?? -1)) return;
    chain.state = kept.state;
    chain.digests = kept.digests.slice();
    chain.changes = kept.changes.slice();
    chain.keys = new Map(kept.keys);
    chain.endedAt = new Map(kept.endedAt);
    chain.rolledBackAt = kept.state.index;
  }

  /** The rollback's warning, until a record after the state brought back checks out. */
  private stillRolledBack(roomId: string, chain: Chain): GroupChainProblem | null {
    if (chain.rolledBackAt === null) return null;
    if ((chain.state?.index ?? -1) > chain.rolledBackAt) {
      chain.rolledBackAt = null;
      return null;
    }
    const error = new ProtocolError(
      'rollback',
      `The listing of group ${roomId} left out records this device verified earlier.`,
    );
    return { index: chain.rolledBackAt, signerId: null, error };
  }

  /** One page after the verified index; null (and the group gone) when the server answers 404. */
  private async page(roomId: string, chain: Chain) {
    try {
      const page = await this.options.api.groupRecords(roomId, chain.state?.index ?? null);
      if (chain.gone) this.changed(chain, chain.problem, false); // taken in again
      return page;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      if (!chain.gone) this.changed(chain, chain.problem, true);
      return null;
    }
  }

  /** Verifies one page from the verified state; false when a record failed (kept as the problem). */
  private async take(roomId: string, chain: Chain, views: readonly GroupRecordView[]): Promise<boolean> {
    const records = views.map((view) => bytesOf(view.record));
    const before = chain.state?.index ?? -1;
    const { state, failure } = await verifyGroupChainAsync(records, this.expected(roomId), chain.state);
    const count = (state?.index ?? -1) - before;
    const taken = views.slice(0, count).map((view, i) => ({
      decoded: decodeGroupRecord(records[i]!),
      record: records[i]!,
      afterSeq: view.afterSeq,
    }));
    if (count > 0) this.applied(roomId, chain, state!, taken);
    if (failure) this.changed(chain, failure);
    return failure === null;
  }

  private applied(
    roomId: string,
    chain: Chain,
    state: GroupState,
    records: { decoded: DecodedGroupRecord; record: Uint8Array; afterSeq: number }[],
  ): void {
    for (const { decoded, record, afterSeq } of records) {
      if (startsEpoch(decoded.action) && decoded.epoch > 1) chain.endedAt.set(decoded.epoch - 1, afterSeq);
      chain.digests[decoded.index] = groupRecordDigest(record);
      chain.changes.push(groupChange(decoded, afterSeq));
      if (decoded.action === 'create' || decoded.action === 'add') {
        for (const entry of decoded.entries) chain.keys.set(entry.userId, entry.signPublicKey);
      }
    }
    chain.state = state;
    this.highest.set(roomId, Math.max(this.highest.get(roomId) ?? -1, state.index));
    this.changed(chain, chain.problem);
  }

  /** A listing that ends before what this page verified earlier is the server dropping records. */
  private rollback(roomId: string, chain: Chain): GroupChainProblem | null {
    const highest = this.highest.get(roomId) ?? -1;
    const index = chain.state?.index ?? -1;
    if (index >= highest) return null;
    const error = new ProtocolError(
      'rollback',
      `The listing of group ${roomId} ends at record ${index}, before record ${highest} verified earlier.`,
    );
    return { index: index + 1, signerId: null, error };
  }

  /** The server filed another record than ours at an index it told us ours took. */
  private forked(roomId: string, chain: Chain, decoded: DecodedGroupRecord): void {
    const error = new ProtocolError('bad-chain', `Group ${roomId} lists another record at index ${decoded.index}.`);
    this.changed(chain, { index: decoded.index, signerId: decoded.signerId, error });
  }

  private changed(chain: Chain, problem: GroupChainProblem | null, gone = chain.gone): void {
    chain.problem = problem;
    chain.gone = gone;
    chain.view = null;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private describe(problem: GroupChainProblem): string {
    const values = { index: problem.index, reason: chainReason(problem.error) };
    if (problem.signerId === null) return say('groups.chain.problem', values);
    return say('groups.chain.problemBy', { ...values, name: this.nameOf(problem.signerId) });
  }

  private nameOf(userId: string): string {
    return this.options.nameOf?.(userId) ?? userId;
  }

  private expected(roomId: string) {
    return { roomId, maxMembers: this.maxMembers };
  }

  private chain(roomId: string): Chain {
    let chain = this.chains.get(roomId);
    if (!chain) {
      chain = {
        state: null,
        problem: null,
        endedAt: new Map(),
        digests: [],
        changes: [],
        keys: new Map(),
        gone: false,
        rolledBackAt: null,
        running: null,
        queue: Promise.resolve(),
        view: null,
      };
      this.chains.set(roomId, chain);
    }
    return chain;
  }
}

/** A record that is not even base64 is one that does not decode: the chain stops there. */
function bytesOf(record: string): Uint8Array {
  try {
    return fromBase64(record);
  } catch {
    return new Uint8Array(0);
  }
}

/** Why a record failed, in words a person can follow. */
export function chainReason(error: ProtocolError): string {
  switch (error.code) {
    case 'bad-chain':
      return say('groups.reason.badChain');
    case 'not-entitled':
      return say('groups.reason.notEntitled');
    case 'bad-signature':
      return say('groups.reason.badSignature');
    case 'bad-room':
      return say('groups.reason.badRoom');
    case 'context-mismatch':
      return say('groups.reason.otherGroup');
    case 'rollback':
      return say('groups.reason.rollback');
    default:
      return say('groups.reason.malformed');
  }
}
