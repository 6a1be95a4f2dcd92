// Liveness and public settings. Deliberately says nothing identifying: no version,
// host name, addresses or counts.
import { Controller, Get, Inject } from '@nestjs/common';
import { KDF_MIN_ITERATIONS } from '@onionchat/protocol';
import { CONFIG, type Config } from '../config/config.js';
import { Public } from '../access/actor.js';

@Controller('api')
export class HealthController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Public()
  @Get('config')
  publicConfig() {
    return { registration: this.config.REGISTRATION, minKdfIterations: KDF_MIN_ITERATIONS };
  }
}
