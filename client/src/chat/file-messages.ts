// File messages: each file is shown at once as a pending card, encrypted and
// uploaded, and its message goes in line for sending once the server has all of it;
// received ones are downloaded or previewed on request.

import { FILE_MAX_BYTES, fileMessageBody, newUuid, sanitizeFileMime, sanitizeFileName } from '@onionchat/protocol';
import { describeError } from '../describe-error.js';
import type { FileSource, FileTransfers } from '../files/index.js';
import { sayer } from '../present/phrasebook.js';
import { CONVERSATION_PHRASES } from './conversation-phrases.js';
import { pendingItem, type ChatItem } from './items.js';
import type { RoomStore } from './room-store.js';
import type { MessageSender } from './sending.js';

const say = sayer(CONVERSATION_PHRASES);

/** Files picked or dropped at once. */
export const MAX_FILES_AT_ONCE = 10;

/** What of the file transfers the chat uses. */
export type ChatFiles = Pick<FileTransfers, 'startFile' | 'save' | 'preview'>;

export class FileMessages {
  constructor(
    private readonly meId: string,
    private readonly store: RoomStore,
    private readonly sender: MessageSender,
    private readonly files: ChatFiles,
  ) {}

  /** Encrypts and uploads files (each shown at once as a pending card). Throws a sentence when it can't. */
  sendFiles(roomId: string, files: readonly File[]): void {
    this.sender.sendableRoom(roomId);
    if (files.length > MAX_FILES_AT_ONCE)
      throw new Error(say('conversation.files.tooMany', { count: MAX_FILES_AT_ONCE }));
    const tooLarge = files.find((file) => file.size > FILE_MAX_BYTES);
    if (tooLarge) throw new Error(say('conversation.files.tooLarge', { name: sanitizeFileName(tooLarge.name) }));
    // The timer when the files are picked: the server deletes each file that long after.
    const ttl = this.sender.ttlFor(roomId);
    for (const file of files) {
      const clientId = newUuid();
      const name = sanitizeFileName(file.name);
      const mime = sanitizeFileMime(file.type);
      const meta = { name, mime, size: file.size, fileId: null, key: null, digest: null };
      const item = pendingItem(roomId, this.meId, clientId, { text: null, file: meta, ttl }, Date.now());
      this.store.addPending(roomId, item);
      this.files.startFile(roomId, clientId, file, name, mime, ttl);
    }
  }

  /** Download a file message's file and hand it over once it checks out. */
  saveFile(item: ChatItem): void {
    const source = fileSource(item);
    if (source) this.files.save(item.key, item.roomId, source);
  }

  /** Show an image (`auto`: it came into view). */
  previewFile(item: ChatItem, auto: boolean): void {
    const source = fileSource(item);
    if (source) this.files.preview(item.key, item.roomId, source, auto);
  }

  /** The last byte is on the server: send the file message. */
  uploaded(roomId: string, clientId: string, file: FileSource): void {
    const pending = this.store.get(roomId)?.timeline.findPending(clientId);
    if (!pending) return;
    let body;
    try {
      body = { ...fileMessageBody(file), ...(pending.ttl ? { ttl: pending.ttl } : {}) };
    } catch (error) {
      this.store.updatePending(roomId, clientId, { state: 'failed', note: describeError(error) });
      return;
    }
    const meta = {
      name: file.name,
      mime: file.mime,
      size: file.size,
      fileId: file.fileId,
      key: file.key,
      digest: file.digest,
    };
    this.sender.sendFile(roomId, clientId, body, meta);
  }

  /** The person cancelled an upload before its message went out. */
  cancelled(roomId: string, clientId: string): void {
    this.store.removePending(roomId, clientId);
  }
}

function fileSource(item: ChatItem): FileSource | null {
  const file = item.file;
  if (!file || !file.fileId || !file.key || !file.digest) return null;
  return { fileId: file.fileId, key: file.key, digest: file.digest, name: file.name, mime: file.mime, size: file.size };
}
