// Deletes messages and files whose time is up, every RETENTION_SWEEP_SECONDS: those past
// their sender's disappearing time and, when RETENTION_MAX_DAYS is set, everything older
// than that. Reads already hide them (retention/live.ts); this removes the rows, and the
// files' bytes from storage. Safe on every instance at once (see RetentionRepository).
// Room sequence numbers are not touched: later messages keep theirs, so the gaps stay.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { FILE_STORAGE, type FileStorage } from '../files/file-storage.js';
import { RetentionRepository } from './retention.repository.js';
import { retentionCutoff } from './live.js';
import { every } from '../common/every.js';

export interface SweepResult {
  messages: number;
  files: number;
}

@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private stop = () => {};
  private running: Promise<SweepResult> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly retention: RetentionRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = every(this.config.RETENTION_SWEEP_SECONDS * 1000, () => this.sweep(), this.logger, 'retention sweep');
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** One sweep at a time on this instance: a call during a sweep gets that sweep's result. */
  sweep(now = new Date()): Promise<SweepResult> {
    this.running ??= this.sweepAll(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(now: Date): Promise<SweepResult> {
    const cutoff = retentionCutoff(this.config.RETENTION_MAX_DAYS, now);
    const result = { messages: await this.sweepMessages(now, cutoff), files: await this.sweepFiles(now, cutoff) };
    if (result.messages || result.files) {
      this.logger.log(`deleted ${result.messages} message(s) and ${result.files} file(s) whose time was up`);
    }
    return result;
  }

  private async sweepMessages(now: Date, cutoff: Date | null): Promise<number> {
    const batch = this.config.RETENTION_SWEEP_BATCH;
    let total = 0;
    for (;;) {
      const { found, deleted } = await this.retention.deleteDueMessages(now, cutoff, batch);
      total += deleted;
      if (found < batch) return total;
    }
  }

  /**
   * Records first, so the file is gone for everyone even if storage cannot be reached;
   * bytes left behind then have no record, and FileSweeper deletes such orphans.
   */
  private async sweepFiles(now: Date, cutoff: Date | null): Promise<number> {
    const batch = this.config.RETENTION_SWEEP_BATCH;
    let total = 0;
    for (;;) {
      const ids = await this.retention.deleteDueFiles(now, cutoff, batch);
      for (const id of ids) await this.storage.delete(id);
      total += ids.length;
      if (ids.length < batch) return total;
    }
  }
}
