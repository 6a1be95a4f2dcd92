// The files the views show, by room. While one of a room's is still uploading on the
// server, the room's file list is looked at again every RECHECK_MS (in case its
// file:ready event was missed); the timer stops once none is.

import type { TransferStore } from './state.js';

/** While a watched file is still uploading on the server: look again this often. */
export const RECHECK_MS = 20_000;

export class FileWatch {
  /** roomId → fileId → how many views watch it. */
  private readonly watched = new Map<string, Map<string, number>>();
  private readonly timers = new Map<string, ReturnType<typeof setInterval>>();

  constructor(
    private readonly store: TransferStore,
    /** Looks at the room's file list unless it was looked at within maxAgeMs. */
    private readonly look: (roomId: string, maxAgeMs: number) => void,
  ) {}

  /** Watches a file until the returned function is called. */
  watch(roomId: string, fileId: string): () => void {
    if (this.store.stopped) return () => undefined;
    let files = this.watched.get(roomId);
    if (!files) this.watched.set(roomId, (files = new Map()));
    files.set(fileId, (files.get(fileId) ?? 0) + 1);
    this.update(roomId);
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      this.unwatch(roomId, fileId);
    };
  }

  /** What the server says changed: start or stop each room's timer. */
  updateAll(): void {
    for (const roomId of this.watched.keys()) this.update(roomId);
  }

  /** The conversation is gone: nothing of it is looked at again. */
  dropRoom(roomId: string): void {
    this.watched.delete(roomId);
    this.update(roomId);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    this.watched.clear();
  }

  private unwatch(roomId: string, fileId: string): void {
    const files = this.watched.get(roomId);
    const count = files?.get(fileId);
    if (!files || count === undefined) return;
    if (count > 1) files.set(fileId, count - 1);
    else files.delete(fileId);
    if (files.size === 0) this.watched.delete(roomId);
    this.update(roomId);
  }

  private update(roomId: string): void {
    const files = this.watched.get(roomId);
    const uploading =
      !this.store.stopped && [...(files?.keys() ?? [])].some((id) => this.store.remote.get(id) === 'uploading');
    const timer = this.timers.get(roomId);
    if (uploading && timer === undefined) {
      this.timers.set(
        roomId,
        setInterval(() => this.look(roomId, RECHECK_MS), RECHECK_MS),
      );
    } else if (!uploading && timer !== undefined) {
      clearInterval(timer);
      this.timers.delete(roomId);
    }
  }
}
