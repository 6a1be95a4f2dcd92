import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { CONFIG, type Config } from './config/config.js';
import { DbModule } from './db/db.module.js';
import { ErrorFilter } from './common/error.filter.js';
import { RateLimitGuard, throttlerOptions } from './common/rate-limit.js';
import { SessionCheck } from './access/session-check.js';
import { SessionGuard } from './access/session.guard.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { SessionsService } from './auth/sessions.service.js';
import { AccountController } from './account/account.controller.js';
import { AccountService } from './account/account.service.js';
import { AccountDeletionRepository } from './account/account-deletion.repository.js';
import { InvitesController } from './invites/invites.controller.js';
import { InvitesRepository } from './invites/invites.repository.js';
import { InvitesService } from './invites/invites.service.js';
import { HealthController } from './health/health.controller.js';
import { DatabaseProbe } from './db/database-probe.js';
import { ServerSecretsRepository } from './secrets/server-secrets.repository.js';
import { UsersRepository } from './users/users.repository.js';
import { Transactions } from './db/transactions.js';
import { AccessPolicy } from './access/access.policy.js';
import { RateLimiter } from './common/rate-limiter.js';
import { RealtimeService } from './realtime/realtime.service.js';
import { RealtimeGateway } from './realtime/realtime.gateway.js';
import { FriendsController } from './friends/friends.controller.js';
import { FriendsService } from './friends/friends.service.js';
import { FriendRequestsRepository } from './friends/friend-requests.repository.js';
import { BlocksRepository } from './friends/blocks.repository.js';
import { RoomsController } from './rooms/rooms.controller.js';
import { RoomsService } from './rooms/rooms.service.js';
import { RoomsRepository } from './rooms/rooms.repository.js';
import { MessagesService } from './messages/messages.service.js';
import { MessagesRepository } from './messages/messages.repository.js';
import { MessagesGateway } from './messages/messages.gateway.js';
import { MessageLog } from './messages/message-log.js';
import { SessionCache } from './auth/session-cache.js';
import { SessionPurger } from './auth/session-purger.js';
import { Invalidations, LocalInvalidations, RedisInvalidations } from './cache/invalidations.js';
import { FilesController } from './files/files.controller.js';
import { GroupsController } from './groups/groups.controller.js';
import { GroupsService } from './groups/groups.service.js';
import { GroupRecordsRepository } from './groups/group-records.repository.js';
import { GroupStates } from './groups/group-states.js';
import { FilesService } from './files/files.service.js';
import { FilesRepository } from './files/files.repository.js';
import { FileSweeper } from './files/file-sweeper.js';
import { RetentionRepository } from './retention/retention.repository.js';
import { RetentionSweeper } from './retention/retention-sweeper.js';
import { FILE_STORAGE } from './files/file-storage.js';
import { createFileStorage } from './files/file-storage.factory.js';
import type { RedisConnections } from './redis/redis-connections.js';
import { RedisThrottlerStorage } from './redis/redis-throttler.storage.js';
import { SharedStateModule } from './redis/shared-state.module.js';
import { SessionProbeController } from './session-probe/session-probe.controller.js';
import { SessionProbeService } from './session-probe/session-probe.service.js';
import { ReceiptsController } from './receipts/receipts.controller.js';
import { ReceiptsRepository } from './receipts/receipts.repository.js';
import { ReceiptsService } from './receipts/receipts.service.js';

@Module({})
export class AppModule {
  /** `redis`: connections for state shared by several instances (REDIS_URL), or null for one instance. */
  static forConfig(config: Config, redis: RedisConnections | null = null): DynamicModule {
    const configModule: DynamicModule = {
      module: class ConfigModule {},
      global: true,
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
    return {
      module: AppModule,
      imports: [
        configModule,
        DbModule,
        SharedStateModule.forConnections(redis),
        ThrottlerModule.forRoot(
          throttlerOptions(config, redis ? new RedisThrottlerStorage(redis.commands, redis.prefix) : undefined),
        ),
      ],
      controllers: [
        HealthController,
        AuthController,
        AccountController,
        SessionProbeController,
        InvitesController,
        FriendsController,
        RoomsController,
        GroupsController,
        FilesController,
        ReceiptsController,
      ],
      providers: [
        // Guards run in this order: rate limits first, then the session check.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: SessionGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        UsersRepository,
        SessionsRepository,
        SessionsService,
        SessionCheck,
        SessionCache,
        SessionPurger,
        {
          provide: Invalidations,
          useFactory: () => (redis ? RedisInvalidations.open(redis.commands, redis.prefix) : new LocalInvalidations()),
        },
        AuthService,
        AccountService,
        SessionProbeService,
        InvitesRepository,
        InvitesService,
        ServerSecretsRepository,
        Transactions,
        DatabaseProbe,
        AccessPolicy,
        RateLimiter,
        RealtimeService,
        RealtimeGateway,
        FriendRequestsRepository,
        BlocksRepository,
        FriendsService,
        RoomsRepository,
        RoomsService,
        GroupRecordsRepository,
        GroupStates,
        GroupsService,
        MessagesRepository,
        AccountDeletionRepository,
        MessageLog,
        MessagesService,
        MessagesGateway,
        FilesRepository,
        FilesService,
        FileSweeper,
        RetentionRepository,
        RetentionSweeper,
        ReceiptsRepository,
        ReceiptsService,
        { provide: FILE_STORAGE, useFactory: () => createFileStorage(config) },
      ],
    };
  }
}
