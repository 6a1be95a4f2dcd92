// Random server-side keys that must stay the same across restarts and instances.
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Db } from '@onionchat/db';
import { DB } from '../db/db.module.js';

@Injectable()
export class ServerSecretsRepository {
  private readonly cache = new Map<string, Uint8Array>();

  constructor(@Inject(DB) private readonly db: Db) {}

  /** The secret called `name`, created on first use (concurrent first uses agree). */
  async get(name: string): Promise<Uint8Array> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    await this.db.serverSecret.createMany({
      data: [{ name, value: new Uint8Array(randomBytes(32)) }],
      skipDuplicates: true,
    });
    const row = await this.db.serverSecret.findUniqueOrThrow({ where: { name } });
    this.cache.set(name, row.value);
    return row.value;
  }
}
