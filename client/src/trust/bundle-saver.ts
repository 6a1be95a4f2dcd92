// What the key bundle's writers (contact pins, chain marks) share: a change is saved a
// little later, so a burst of changes is one bundle write (each one a request over Tor
// and a new revision); saves run one after another; a failed save is tried again later;
// log-out flushes what is waiting; stopping cancels it.

export interface BundleSaverOptions {
  /** Writes the current state into the bundle; throws when it could not. */
  save: () => Promise<void>;
  /** After a failure: how long until the next try, or null to give up (nothing left that saving could fix). */
  retryIn: (error: unknown) => number | null;
}

export class BundleSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: BundleSaverOptions) {}

  /** Something changed: save in `delayMs`, unless a save is already waiting. */
  schedule(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.saving = this.run();
    }, delayMs);
  }

  /** Saves now what is waiting, and waits for any save under way (log-out, tests). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.saving = this.run();
    }
    await this.saving;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    // One save at a time: the one before may still be waiting for the server.
    await this.saving?.catch(() => undefined);
    try {
      await this.options.save();
    } catch (error) {
      const retry = this.options.retryIn(error);
      if (retry !== null) this.schedule(retry);
    }
  }
}
