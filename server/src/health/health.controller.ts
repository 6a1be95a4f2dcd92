// Liveness and public settings. Deliberately says nothing identifying: no version,
// host name, addresses or counts. Health includes the database, so a load balancer or
// an operator sees 503 while it is unreachable rather than a service that only looks up.
// Health has no rate limit, so a flood cannot make the container's health check fail.
import { Controller, Get, Inject } from '@nestjs/common';
import type { Answer, ServerConfig } from '@onionchat/contract';
import { KDF_MIN_ITERATIONS } from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import { onionAddress } from '../config/onion-address.js';
import { Public } from '../access/actor.js';
import { Unlimited } from '../common/rate-limit.js';
import { DatabaseProbe } from '../db/database-probe.js';
import { databaseUnavailable } from '../db/database-unavailable.js';

@Controller('api')
export class HealthController {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly database: DatabaseProbe,
  ) {}

  @Public()
  @Unlimited()
  @Get('health')
  async health(): Promise<Answer<'health'>> {
    if (!(await this.database.answers())) throw databaseUnavailable();
    return { status: 'ok' };
  }

  @Public()
  @Get('config')
  publicConfig(): ServerConfig {
    return {
      registration: this.config.REGISTRATION,
      minKdfIterations: KDF_MIN_ITERATIONS,
      groupMaxMembers: this.config.GROUP_MAX_MEMBERS,
      retentionMaxDays: this.config.RETENTION_MAX_DAYS,
      onionAddress: onionAddress(this.config),
    };
  }
}
