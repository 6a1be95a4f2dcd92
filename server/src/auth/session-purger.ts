// Deletes expired sessions from the database, at start and then every
// SESSION_PURGE_MINUTES. An expired session is already refused (SessionsService checks
// expiresAt); this only stops the rows, with their timestamps of when each device was
// last used, from piling up. Safe on every instance at once: the deletion is idempotent.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '../config/config.js';
import { SessionsRepository } from './sessions.repository.js';

@Injectable()
export class SessionPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sessions');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly sessions: SessionsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.purgeLogged();
    this.timer = setInterval(() => void this.purgeLogged(), this.config.SESSION_PURGE_MINUTES * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes every session that expired by `now`; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const { count } = await this.sessions.deleteExpired(now);
    if (count) this.logger.log(`purged ${count} expired session(s)`);
    return count;
  }

  private purgeLogged(): Promise<void> {
    return this.purge().then(
      () => undefined,
      (err: Error) => this.logger.error(`purging expired sessions failed: ${err.message}`),
    );
  }
}
