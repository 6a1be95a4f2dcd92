// What several instances must share besides PostgreSQL: with REDIS_URL, upload locks (and,
// through the throttler and the socket.io adapter, rate limits and live events) live in
// Redis; without it, in this process. The Redis connections close after sockets and HTTP.
import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { MemoryUploadLocks, UPLOAD_LOCKS } from '../files/upload-locks.js';
import { RedisConnections } from './redis-connections.js';
import { RedisUploadLocks } from './redis-lease.js';

const REDIS = Symbol('REDIS');

@Module({})
export class SharedStateModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: { connections: RedisConnections | null }) {}

  static forConnections(connections: RedisConnections | null): DynamicModule {
    const locks = connections
      ? new RedisUploadLocks(connections.commands, connections.prefix)
      : new MemoryUploadLocks();
    return {
      module: SharedStateModule,
      global: true,
      providers: [
        { provide: REDIS, useValue: { connections } },
        { provide: UPLOAD_LOCKS, useValue: locks },
      ],
      exports: [UPLOAD_LOCKS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.connections?.close();
  }
}
