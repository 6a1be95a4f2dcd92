// Deletes expired sessions from the database, at start and then every
// SESSION_PURGE_MINUTES. An expired session is already refused (SessionsService checks
// expiresAt); this only stops the rows, with their timestamps of when each device was
// last used, from piling up. Safe on every instance at once: the deletion is idempotent.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { SessionsRepository } from './sessions.repository.js';
import { every, runLogged } from '../common/every.js';

@Injectable()
export class SessionPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sessions');
  private stop = () => {};

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await runLogged(() => this.purge(), this.logger, 'purging expired sessions');
    this.stop = every(
      this.config.SESSION_PURGE_MINUTES * 60_000,
      () => this.purge(),
      this.logger,
      'purging expired sessions',
    );
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** Deletes every session that expired by `now`; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const { count } = await this.sessions.deleteExpired(now);
    if (count) this.logger.log(`purged ${count} expired session(s)`);
    return count;
  }
}
