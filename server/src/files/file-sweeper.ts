// Deletes abandoned uploads (no progress for UPLOAD_TTL_MINUTES) and stored objects
// whose record is gone (a deleted conversation takes its files' records with it).
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { FILE_STORAGE, type FileStorage } from './file-storage.js';
import { FilesRepository } from './files.repository.js';
import { every } from '../common/every.js';

const ORPHAN_GRACE_MS = 5 * 60_000;

@Injectable()
export class FileSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Files');
  private stop = () => {};

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly files: FilesRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = every(this.config.FILE_SWEEP_SECONDS * 1000, () => this.sweep(), this.logger, 'file sweep');
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async sweep(now = new Date()): Promise<number> {
    let removed = 0;
    for (const { id } of await this.files.expiredUploads(now)) {
      await this.files.delete(id);
      await this.storage.delete(id);
      removed++;
    }
    const stale: string[] = [];
    for await (const object of this.storage.list()) {
      if (now.getTime() - object.modifiedAt.getTime() > ORPHAN_GRACE_MS) stale.push(object.id);
    }
    const known = stale.length ? await this.files.existing(stale) : new Set<string>();
    for (const id of stale.filter((id) => !known.has(id))) {
      await this.storage.delete(id);
      removed++;
    }
    if (removed) this.logger.log(`removed ${removed} abandoned or orphaned file(s)`);
    return removed;
  }
}
