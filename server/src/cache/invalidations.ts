// Tells every instance that something cached has changed (a session ended), so caches
// can drop it at once. Without Redis there is one instance and the news stays in this
// process. With Redis it goes through a publish/subscribe channel, which may lose news
// while the connection is down: caches must not be trusted then (`reliable` is false),
// and when it comes back everything cached before is dropped (`onReset`).
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export type InvalidationHandler = (payload: Record<string, string>) => void;

export abstract class Invalidations {
  private readonly handlers = new Map<string, InvalidationHandler[]>();
  private readonly resets: (() => void)[] = [];

  /** Whether news from other instances is arriving: a cache answers only while it is. */
  abstract get reliable(): boolean;

  /** Applies the news here first (synchronously), then tells the other instances. */
  abstract publish(topic: string, payload: Record<string, string>): void;

  abstract close(): Promise<void>;

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  on(topic: string, handler: InvalidationHandler): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /** Called when news may have been missed: everything cached must go. */
  onReset(handler: () => void): void {
    this.resets.push(handler);
  }

  protected deliver(topic: string, payload: Record<string, string>): void {
    for (const handler of this.handlers.get(topic) ?? []) handler(payload);
  }

  protected reset(): void {
    for (const handler of this.resets) handler();
  }
}

export class LocalInvalidations extends Invalidations {
  get reliable(): boolean {
    return true;
  }

  publish(topic: string, payload: Record<string, string>): void {
    this.deliver(topic, payload);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class RedisInvalidations extends Invalidations {
  private readonly logger = new Logger('Invalidations');
  private subscribed = false;

  private constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    super();
  }

  /** A subscriber connection of its own, duplicated from `commands`, on `${prefix}invalidations`. */
  static async open(commands: Redis, prefix: string): Promise<RedisInvalidations> {
    // Named, so an operator (or a test) can tell it apart in CLIENT LIST.
    // Resubscribing is done here, on 'ready', with its failure handled: ioredis's own
    // resubscription leaves a rejected promise unheard when the connection is closed
    // while it is pending (a shutdown during a Redis outage).
    const subscriber = commands.duplicate({ connectionName: `${prefix}invalidations`, autoResubscribe: false });
    subscriber.on('error', () => undefined); // outages are logged once by the other connections
    const invalidations = new RedisInvalidations(commands, subscriber, `${prefix}invalidations`);
    await invalidations.listen();
    return invalidations;
  }

  get reliable(): boolean {
    return this.subscribed;
  }

  publish(topic: string, payload: Record<string, string>): void {
    this.deliver(topic, payload);
    this.commands.publish(this.channel, JSON.stringify({ topic, payload })).catch(() => {
      this.logger.warn(`could not tell other instances about ${topic}; their caches expire it within a minute`);
    });
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private async listen(): Promise<void> {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      const { topic, payload } = JSON.parse(text) as { topic: string; payload: Record<string, string> };
      this.deliver(topic, payload);
    });
    this.subscriber.on('close', () => {
      if (!this.subscribed) return;
      this.subscribed = false;
      this.reset();
    });
    await this.subscriber.subscribe(this.channel);
    this.subscribed = true;
    // Trusted again only once the subscription is confirmed on a new connection; what
    // was cached meanwhile may have missed news, so it goes too. Listened for only after
    // the first subscription: the first connection's own 'ready' is no reconnection, and
    // a reset it caused could land after the first entries were cached.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.reset();
          this.subscribed = true;
        },
        () => undefined,
      );
    });
  }
}
