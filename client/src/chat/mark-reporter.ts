// A mark the server keeps per member and room (read up to, delivered up to), reported
// shortly after it moves: one request per room per delay however many messages came,
// never for a mark the server already has, and given back to the next report on failure.

interface Reported {
  /** Highest seq reported to the server (or being reported). */
  sent: number;
  wanted: number;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface MarkReporterParts {
  delayMs: number;
  /** Tells the server; resolves to the mark it holds now. */
  report: (roomId: string, seq: number) => Promise<number>;
  /** The server's answer, for the store. */
  applied: (roomId: string, seq: number) => void;
}

export class MarkReporter {
  private readonly rooms = new Map<string, Reported>();
  private stopped = false;

  constructor(private readonly parts: MarkReporterParts) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The mark should be at least `seq`; `known`: what the server had before this session reported any. */
  want(roomId: string, seq: number, known: () => number): void {
    if (this.stopped) return;
    let reported = this.rooms.get(roomId);
    if (!reported) {
      const held = known();
      reported = { sent: held, wanted: held, timer: null };
      this.rooms.set(roomId, reported);
    }
    if (seq <= reported.sent || seq <= reported.wanted) return;
    reported.wanted = seq;
    if (reported.timer) return;
    const entry = reported;
    entry.timer = setTimeout(() => {
      entry.timer = null;
      void this.flush(roomId, entry);
    }, this.parts.delayMs);
  }

  /** The room is gone. */
  forget(roomId: string): void {
    const reported = this.rooms.get(roomId);
    if (reported?.timer) clearTimeout(reported.timer);
    this.rooms.delete(roomId);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.rooms.keys()]) this.forget(id);
  }

  private async flush(roomId: string, reported: Reported): Promise<void> {
    const seq = reported.wanted;
    if (seq <= reported.sent || this.stopped) return;
    const before = reported.sent;
    reported.sent = seq;
    try {
      const held = await this.parts.report(roomId, seq);
      if (!this.stopped) this.parts.applied(roomId, held);
    } catch {
      // Reported again with the next move.
      if (reported.sent === seq) reported.sent = before;
      reported.wanted = before;
    }
  }
}
