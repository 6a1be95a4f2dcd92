// One room's messages in order: stored ones sorted by seq (deduplicated by seq),
// then this client's sends the server has not stored yet, in the order written.
// Disappearing messages leave it when their time comes (their seq stays known, so
// a server that keeps delivering them files nothing).

import { forgetDeleted } from './actions-view.js';
import { expiryFor, timersOf } from './disappearing.js';
import { countsAsNew, type ChatItem } from './items.js';

/**
 * One room's messages: stored ones sorted by seq (deduplicated by seq), then this
 * client's sends that the server has not stored yet, in the order they were written.
 * `items` is a new array after every change (for React); items are never mutated.
 */
export class Timeline {
  private confirmed: ChatItem[] = [];
  private readonly seqs = new Set<number>();
  private pending: ChatItem[] = [];
  private cache: readonly ChatItem[] | null = [];
  /** Every seq from the lowest held up to this one is held (seqs have no gaps on the server). */
  private contiguous = 0;
  /** The lowest seq ever filed (a message that disappeared since still counts as held). */
  private floor: number | null = null;
  /** The seqs held deletions name: only filing one of those, or a deletion, can drop content. */
  private readonly deletionTargets = new Set<number>();
  /** The soonest expiry of a message held, or null; undefined: to be worked out again. */
  private soonest: number | null | undefined = null;

  get items(): readonly ChatItem[] {
    if (!this.cache) this.cache = [...this.confirmed, ...this.pending];
    return this.cache;
  }

  get size(): number {
    return this.confirmed.length;
  }

  has(seq: number): boolean {
    return this.seqs.has(seq);
  }

  /** The lowest seq held (or held once and disappeared since), or null. */
  get lowest(): number | null {
    return this.floor;
  }

  /** The highest seq held, or 0. */
  get highest(): number {
    return this.confirmed[this.confirmed.length - 1]?.seq ?? 0;
  }

  /** Every seq in [from, to] is held (nothing of that range is missing here). */
  covers(from: number, to: number): boolean {
    if (from > to) return true;
    const lowest = this.lowest;
    return lowest !== null && lowest <= from && this.contiguous >= to;
  }

  /** Messages from others held in (from, to] that count as new (not delivered late or again). */
  othersBetween(from: number, to: number): number {
    let count = 0;
    for (const item of this.confirmed) {
      if (item.seq !== null && item.seq > from && item.seq <= to && countsAsNew(item)) count += 1;
    }
    return count;
  }

  /** Where a catch-up has to start: after the last seq with nothing missing below it. */
  get syncedUpTo(): number {
    return this.contiguous;
  }

  /**
   * Where this timeline starts: everything up to `seq` is either held or older
   * history (loaded on demand). Set once, by the first load of the latest messages.
   */
  start(seq: number): void {
    if (seq > this.contiguous) this.contiguous = seq;
    while (this.seqs.has(this.contiguous + 1)) this.contiguous += 1;
  }

  insert(item: ChatItem): void {
    const seq = item.seq;
    if (seq === null || this.seqs.has(seq)) return;
    let index = this.confirmed.length;
    while (index > 0 && (this.confirmed[index - 1]!.seq as number) > seq) index -= 1;
    this.confirmed.splice(index, 0, item);
    this.forgetDeleted(item);
    this.seqs.add(seq);
    if (this.floor === null || seq < this.floor) this.floor = seq;
    while (this.seqs.has(this.contiguous + 1)) this.contiguous += 1;
    this.changed();
  }

  /**
   * The server says nothing it still holds lies between what is held and `seq` (a
   * page after `syncedUpTo` began there): the seqs in between disappeared.
   */
  passOver(seq: number): void {
    if (seq <= this.contiguous) return;
    this.contiguous = seq;
    while (this.seqs.has(this.contiguous + 1)) this.contiguous += 1;
  }

  /** The conversation's disappearing timer settings held (stored and on their way). */
  get timers(): ReturnType<typeof timersOf> {
    return timersOf(this.items);
  }

  /** When the next message held disappears (ms), or null. */
  get nextExpiry(): number | null {
    if (this.soonest === undefined) this.expire(Number.NEGATIVE_INFINITY);
    return this.soonest ?? null;
  }

  /**
   * Works out every stored message's expiry from the timers held, and drops those due
   * at `now` with their content. Returns whether anything changed.
   */
  expire(now: number): boolean {
    const timers = timersOf(this.items);
    let soonest: number | null = null;
    let changed = false;
    const kept: ChatItem[] = [];
    for (const item of this.confirmed) {
      const expiresAt = expiryFor(item, timers);
      if (expiresAt !== null && expiresAt <= now) {
        changed = true;
        continue;
      }
      if (expiresAt !== null && (soonest === null || expiresAt < soonest)) soonest = expiresAt;
      if ((item.expiresAt ?? null) === expiresAt) kept.push(item);
      else {
        changed = true;
        kept.push({ ...item, expiresAt });
      }
    }
    // This client's own sends still on their way go at their time too (the outbox drops them unsent).
    const pending = this.pending.filter((item) => {
      const expiresAt = item.ttl && item.sentAt != null ? item.sentAt + item.ttl * 1000 : null;
      if (expiresAt === null) return true;
      if (expiresAt <= now) return false;
      if (soonest === null || expiresAt < soonest) soonest = expiresAt;
      return true;
    });
    this.soonest = soonest;
    if (pending.length !== this.pending.length) {
      this.pending = pending;
      changed = true;
    }
    if (!changed) return false;
    this.confirmed = kept;
    this.cache = null;
    return true;
  }

  addPending(item: ChatItem): void {
    this.pending.push(item);
    this.changed();
  }

  findPending(messageId: string): ChatItem | null {
    return this.pending.find((item) => item.messageId === messageId) ?? null;
  }

  updatePending(messageId: string, patch: Partial<ChatItem>): void {
    this.pending = this.pending.map((item) => (item.messageId === messageId ? { ...item, ...patch } : item));
    this.changed();
  }

  /** A send that will never go out (a file upload cancelled before its message). */
  removePending(messageId: string): void {
    const before = this.pending.length;
    this.pending = this.pending.filter((item) => item.messageId !== messageId);
    if (this.pending.length !== before) this.changed();
  }

  /** Moves a send to the end of the not-yet-stored ones (a manual retry goes out after the rest). */
  requeuePending(messageId: string, patch: Partial<ChatItem>): void {
    const item = this.findPending(messageId);
    if (!item) return;
    this.pending = [...this.pending.filter((other) => other !== item), { ...item, ...patch }];
    this.changed();
  }

  /** A stored message checked again (its sender's key was accepted): it takes the old one's place. */
  replace(item: ChatItem): void {
    const index = this.confirmed.findIndex((other) => other.seq === item.seq);
    if (index < 0) return;
    const confirmed = [...this.confirmed];
    confirmed[index] = item;
    this.confirmed = confirmed;
    this.forgetDeleted(item);
    this.changed();
  }

  /** The server stored this client's send as `seq`: it joins the stored messages. */
  confirmPending(messageId: string, seq: number, time: number, epoch?: number, serverId?: string | null): void {
    const item = this.findPending(messageId);
    if (!item) return;
    this.pending = this.pending.filter((other) => other !== item);
    this.changed();
    this.insert({
      ...item,
      seq,
      time,
      state: 'sent',
      note: null,
      ...(epoch === undefined ? {} : { epoch }),
      ...(serverId ? { serverId } : {}),
    });
  }

  /** A deleted message's content leaves memory as soon as both it and its deletion are held. */
  private forgetDeleted(filed: ChatItem): void {
    const named = filed.action?.target.seq;
    if (filed.action?.kind === 'delete') this.deletionTargets.add(named!);
    const concerned = [filed.seq, named].some((seq) => seq != null && this.deletionTargets.has(seq));
    if (concerned) this.confirmed = forgetDeleted(this.confirmed);
  }

  private changed(): void {
    this.cache = null;
    this.soonest = undefined;
  }
}
