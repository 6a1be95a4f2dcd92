// Builds the HTTP application; shared by the entry point and the tests.
import 'reflect-metadata';
import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LogLevel } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { AppModule } from './app.module.js';
import { QuietLogger } from './common/quiet-logger.js';
import type { Config } from './config/config.js';
import { requestHygiene } from './common/request-hygiene.middleware.js';
import { requestLog } from './common/request-log.middleware.js';
import { jsonBody } from './common/json-body.js';
import { groupBodyLimitBytes, takesGroupBody } from './groups/group-limits.js';
import { serveWebClient } from './web/static.js';
import { ConfiguredIoAdapter } from './realtime/io.adapter.js';
import { RedisConnections } from './redis/redis-connections.js';
import { allowedHostnames, hostCheck } from './security/host-check.js';
import { securityHeaders } from './security/headers.js';
import { listenOnion } from './onion/onion-listener.js';
import { trustedPeers } from './onion/trusted-peers.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug'];

/** Idle keep-alive connections stay open this long (Node's default is 5 s). */
export const KEEP_ALIVE_MS = 30_500;

/**
 * Every new connection to the onion is a new stream over a Tor circuit, a round trip
 * that can take a second, so a chat that pauses between requests should find its
 * connection still open. The half second over a whole number matters too: clients
 * (browsers, undici) drop an idle connection a little before the `Keep-Alive: timeout=30`
 * the server announces, instead of racing the server's close with a new request and
 * failing with "other side closed".
 */
function keepConnectionsOpen(app: NestExpressApplication): void {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
}

export async function createApp(config: Config): Promise<NestExpressApplication> {
  // Connected first, so an unreachable Redis stops start-up with a clear message.
  const redis = config.REDIS_URL ? await RedisConnections.open(config.REDIS_URL, config.REDIS_PREFIX) : null;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config, redis), {
    bodyParser: false,
    logger: new QuietLogger({ logLevels: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1) }),
  }).catch(async (err: unknown) => {
    await redis?.close();
    throw err;
  });
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', false);
  app.use(requestLog);
  app.use(hostCheck(allowedHostnames(config.PUBLIC_ORIGIN, config.ALLOWED_HOSTS)));
  app.use(securityHeaders);
  app.use(cookieParser());
  app.use(requestHygiene);
  app.use(jsonBody(config.BODY_LIMIT_BYTES, { limit: groupBodyLimitBytes(config), applies: takesGroupBody }));
  app.useWebSocketAdapter(new ConfiguredIoAdapter(app, config, redis));
  app.enableShutdownHooks();
  serveWebClient(app, config.WEB_DIR);
  keepConnectionsOpen(app);
  return app;
}

/**
 * Opens the plain port (local use, health checks, tests) and, when ONION_PORT is set,
 * the onion port tor publishes, where every connection names its tor circuit.
 */
export async function listen(app: NestExpressApplication, config: Config): Promise<void> {
  await app.listen(config.PORT, config.HOST);
  await openOnionPort(app, config);
}

/** The onion port (server/src/onion/onion-listener.ts) on HOST, if ONION_PORT is set. */
export async function openOnionPort(app: NestExpressApplication, config: Config): Promise<NetServer | null> {
  if (config.ONION_PORT === 0) return null;
  return listenOnion(app.getHttpServer() as Server, {
    host: config.HOST,
    port: config.ONION_PORT,
    trusted: trustedPeers(config.ONION_TRUSTED_PEERS),
    headerTimeoutMs: config.ONION_HEADER_TIMEOUT_SECONDS * 1000,
  });
}
