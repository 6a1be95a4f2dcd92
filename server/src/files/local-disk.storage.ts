// FileStorage on the local disk: one file per upload in FILES_DIR (mode 0700).
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { opendir, stat, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStorage, StoredObject } from './file-storage.js';

const ID = /^[0-9a-f-]{36}$/;

export class LocalDiskStorage implements FileStorage {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  async write(id: string, offset: number, body: Readable): Promise<number> {
    const file = this.pathOf(id);
    const out = createWriteStream(file, { flags: offset === 0 ? 'w' : 'r+', start: offset, mode: 0o600 });
    try {
      await pipeline(body, out);
    } catch (err) {
      await truncate(file, offset).catch(() => {});
      throw err;
    }
    return out.bytesWritten;
  }

  read(id: string, start: number, end: number): Readable {
    return createReadStream(this.pathOf(id), { start, end });
  }

  async delete(id: string): Promise<void> {
    await unlink(this.pathOf(id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  async *list(): AsyncIterable<StoredObject> {
    for await (const entry of await opendir(this.dir)) {
      const id = entry.name.replace(/\.bin$/, '');
      if (!entry.isFile() || !ID.test(id)) continue;
      const info = await stat(path.join(this.dir, entry.name)).catch(() => null);
      if (info) yield { id, modifiedAt: info.mtime };
    }
  }

  private pathOf(id: string): string {
    if (!ID.test(id)) throw new Error('invalid file id');
    return path.join(this.dir, `${id}.bin`);
  }
}
