// A wall clock for unit tests: time moves only when the test says so, and the timeouts
// due by then run in order.

import type { ExpiryClock } from '../chat/disappearing.js';

export class ManualClock implements ExpiryClock {
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;

  constructor(private time: number = Date.now()) {}

  now(): number {
    return this.time;
  }

  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + Math.max(0, ms), run, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Timeouts waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, running every timeout due on the way (and those they set). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.run();
    }
    this.time = end;
  }
}
