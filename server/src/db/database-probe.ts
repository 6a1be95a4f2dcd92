// Whether the database answers at all: for the health check, so a load balancer or an
// operator sees 503 while it is unreachable rather than a service that only looks up.
import { Inject, Injectable } from '@nestjs/common';
import type { Db } from '@onionchat/db';
import { DB } from './db.module.js';

// A database that does not answer a trivial query in this time is not serving anyone.
const PROBE_TIMEOUT_MS = 3000;

@Injectable()
export class DatabaseProbe {
  constructor(@Inject(DB) private readonly db: Db) {}

  async answers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)));
    const query = this.db.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
