// The Redis connections of one instance: one for commands (rate limits, locks) and the
// publish/subscribe pair the socket.io adapter needs (sharded pub/sub, Redis 7). Start-up
// waits for all three, so a wrong REDIS_URL fails at once with a clear message; afterwards
// ioredis reconnects by itself and each outage is logged once, without the URL (it may
// carry a password).
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

const CONNECT_TIMEOUT_MS = 5_000;
/** Reconnection attempts back off to one a second, so recovery follows Redis within a second. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 1_000);
/** A command issued during an outage fails (503) after this many attempts: within about 2 s. */
const RETRIES_PER_COMMAND = 2;

/** host:port of a Redis URL, never its credentials. */
export function redisAddress(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '6379'}`;
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? 'unknown error';
}

function reportOutages(client: Redis, role: string): void {
  const logger = new Logger('Redis');
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    logger.warn(`${role} connection lost (${describe(err)}); reconnecting`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.log(`${role} connection is back`);
  });
}

/**
 * The subscriber's commands are the adapter's SSUBSCRIBE and SUNSUBSCRIBE, sent as rooms
 * gain their first local socket and lose their last. During an outage they wait for the
 * connection (null: no retry limit) instead of failing, so once it is back ioredis
 * restores the subscriptions it had and then sends these in order: the instance ends up
 * subscribed to exactly the rooms it holds.
 */
const retriesFor = (role: string) => (role === 'subscribe' ? null : RETRIES_PER_COMMAND);

async function connect(url: string, role: string): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: retriesFor(role),
    retryStrategy: reconnectDelay,
  });
  // Until connected, the failure is reported by the thrown error instead. The first
  // socket error says more ("ECONNREFUSED") than the rejection ("Connection is closed").
  let first: unknown;
  const quiet = (err: unknown) => (first ??= err);
  client.on('error', quiet);
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    const reason = describe(first ?? err);
    throw new Error(`REDIS_URL is set but Redis at ${redisAddress(url)} cannot be reached (${reason}).`, {
      cause: err,
    });
  }
  client.off('error', quiet);
  reportOutages(client, role);
  return client;
}

/**
 * The socket.io adapter (un)subscribes without handling a failure (one that shutting down
 * cuts short, say). A publish fails during an outage after its retries: the event is lost
 * (clients catch up by sequence when they reconnect), and the adapter's own catch is not
 * relied on to keep the rejection from ending up unhandled.
 */
function tolerateFailures(client: Redis, commands: ('spublish' | 'ssubscribe' | 'sunsubscribe')[]): Redis {
  for (const name of commands) {
    const command = client[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(client, { [name]: (...args: unknown[]) => command(...args).catch(() => 0) });
  }
  return client;
}

export class RedisConnections {
  private constructor(
    readonly prefix: string,
    readonly commands: Redis,
    readonly pub: Redis,
    readonly sub: Redis,
  ) {}

  static async open(url: string, prefix: string): Promise<RedisConnections> {
    const settled = await Promise.allSettled(['commands', 'publish', 'subscribe'].map((role) => connect(url, role)));
    const failed = settled.find((s) => s.status === 'rejected');
    const clients = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (failed) {
      clients.forEach((c) => c.disconnect());
      throw failed.reason;
    }
    const [commands, pub, sub] = clients as [Redis, Redis, Redis];
    return new RedisConnections(
      prefix,
      commands,
      tolerateFailures(pub, ['spublish']),
      tolerateFailures(sub, ['ssubscribe', 'sunsubscribe']),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.commands, this.pub, this.sub].map((c) => c.quit().catch(() => c.disconnect())));
  }
}
