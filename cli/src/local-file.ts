// A file on this machine, ready to be encrypted and sent: a File backed by the disk
// (read as it is sent, never whole in memory), named and typed from its path.

import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
  '.json': 'application/json',
};

/** The type a file's extension suggests; anything unknown is plain bytes. */
function guessMime(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Opens `file`; rejects with a sentence a person understands when it is missing or not a file. */
export async function openLocalFile(file: string): Promise<File> {
  const full = path.resolve(file);
  const info = await stat(full).catch(() => null);
  if (!info) throw new LocalFileError(`There is no file at ${file}.`);
  if (!info.isFile()) throw new LocalFileError(`${file} is not a file.`);
  const blob = await openAsBlob(full, { type: guessMime(full) });
  return new File([blob], path.basename(full), { type: blob.type, lastModified: info.mtimeMs });
}

export class LocalFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalFileError';
  }
}
