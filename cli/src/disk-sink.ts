// Where downloaded files go: a directory on disk. The core calls save() only after
// every check passed; the bytes are still written under a temporary name first and
// then moved to the final one, so no partial file ever carries the real name. A file
// can be sent elsewhere (`/save N FOLDER`): the route is kept by the name the core
// saves under, so two downloads running at once each land where they were asked to.

import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { link, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileSink } from '@onionchat/client';
import { usageError } from './exit-codes.js';

const MAX_NAME_TRIES = 1000;

export class DiskSink implements FileSink {
  private readonly savedListeners = new Set<(file: string) => void>();
  private readonly routes = new Map<string, string[]>();

  constructor(private readonly dir: string) {}

  /** The folder files go to unless routed elsewhere. */
  get folder(): string {
    return this.dir;
  }

  /** The next file saved under `name` (the core's downloadName) goes to `dir`. */
  routeNext(name: string, dir: string): void {
    this.routes.set(name, [...(this.routes.get(name) ?? []), dir]);
  }

  private folderFor(name: string): string {
    const queue = this.routes.get(name);
    const dir = queue?.shift();
    if (queue && queue.length === 0) this.routes.delete(name);
    return dir ?? this.dir;
  }

  /** Be told the path of each file once it is in place. */
  onSaved(listener: (file: string) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  async save(blob: Blob, name: string): Promise<void> {
    const dir = this.folderFor(name);
    const temporary = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.part`);
    // Opened before anything is read, and outside the clean-up: a stream that fails at once
    // must not leave the file to be created after the clean-up has run, and a name already
    // taken (never ours) must not be removed by it.
    const file = await open(temporary, 'wx', 0o600);
    try {
      await pipeline(
        Readable.fromWeb(blob.stream() as import('node:stream/web').ReadableStream),
        file.createWriteStream(),
      );
      const final = await this.place(dir, temporary, name);
      for (const listener of this.savedListeners) listener(final);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  /** Links the finished file under the first free name ("name", "name (1)", ...): never over an existing file. */
  private async place(dir: string, temporary: string, name: string): Promise<string> {
    const { name: stem, ext } = path.parse(name);
    for (let n = 0; n < MAX_NAME_TRIES; n += 1) {
      const candidate = path.join(dir, n === 0 ? name : `${stem} (${n})${ext}`);
      try {
        await link(temporary, candidate);
        return candidate;
      } catch (error) {
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      }
    }
    throw new Error(`Could not find a free name for “${name}” in ${dir}.`);
  }
}

/** `dir` as an absolute path, if it is a folder that exists; else a usage error that says so. */
export function existingFolder(dir: string): string {
  const full = path.resolve(dir);
  let isDirectory = false;
  try {
    isDirectory = statSync(full).isDirectory();
  } catch {
    // missing or unreadable: said below
  }
  if (!isDirectory) throw usageError(`${full} is not a folder that exists.`);
  return full;
}
