// File messages: each file is shown at once as a pending card, encrypted and
// uploaded, and its message goes out through the outbox once the server has all
// of it; received ones are downloaded or previewed on request.

import {
  FILE_MAX_BYTES,
  fileMessageBody,
  newUuid,
  sanitizeFileMime,
  sanitizeFileName,
  type MessageBody,
} from '@onionchat/protocol';
import type { ChatItem } from '../messages';
import { newOutboxEntry, type Outbox } from '../outbox';
import type { FileSource, FileTransfers } from '../transfers';
import type { ChatCore } from './core';
import { chatErrorMessage } from './errors';
import type { MessageSender } from './sending';
import type { ChatTrust } from './trust';

/** Files picked or dropped at once. */
export const MAX_FILES_AT_ONCE = 10;

export class FileMessages {
  constructor(
    private readonly core: ChatCore,
    private readonly files: FileTransfers,
    private readonly outbox: Outbox,
    private readonly sender: MessageSender,
    private readonly trust: ChatTrust,
  ) {}

  /**
   * Encrypts and uploads files (each shown at once as a pending card); each one's
   * message goes out through the outbox once the server has all of it.
   */
  sendFiles(roomId: string, files: readonly File[]): void {
    const entry = this.core.entries.get(roomId);
    if (!entry) throw new Error('This conversation does not exist any more.');
    const blocked = this.trust.sendBlock(entry.room);
    if (blocked) throw new Error(blocked);
    if (files.length > MAX_FILES_AT_ONCE) {
      throw new Error(`You can send at most ${MAX_FILES_AT_ONCE} files at once.`);
    }
    const tooLarge = files.find((file) => file.size > FILE_MAX_BYTES);
    if (tooLarge) throw new Error(`“${sanitizeFileName(tooLarge.name)}” is too large to send.`);
    for (const file of files) {
      const clientId = newUuid();
      const name = sanitizeFileName(file.name);
      const mime = sanitizeFileMime(file.type);
      entry.timeline.addPending({
        key: `id:${clientId}`,
        roomId,
        seq: null,
        senderId: this.core.me.id,
        mine: true,
        state: 'pending',
        text: null,
        file: { name, mime, size: file.size, fileId: null, key: null, digest: null },
        unsupportedType: null,
        note: null,
        time: Date.now(),
        messageId: clientId,
      });
      this.files.startFile(roomId, clientId, file, name, mime);
    }
    this.core.changed(entry);
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

  onFileUploaded(roomId: string, clientId: string, file: FileSource): void {
    const entry = this.core.entries.get(roomId);
    if (!entry || !entry.timeline.findPending(clientId)) return;
    let body: MessageBody;
    try {
      body = fileMessageBody(file);
    } catch (error) {
      entry.timeline.updatePending(clientId, { state: 'failed', note: chatErrorMessage(error) });
      this.core.changed(entry);
      return;
    }
    const outgoing = newOutboxEntry(roomId, clientId, body);
    const key = this.core.keyring.peek(roomId, entry.room.epoch);
    if (key) this.sender.sealWith(outgoing, entry.room.epoch, key);
    entry.timeline.updatePending(clientId, {
      file: {
        name: file.name,
        mime: file.mime,
        size: file.size,
        fileId: file.fileId,
        key: file.key,
        digest: file.digest,
      },
    });
    this.outbox.add(outgoing);
    this.core.changed(entry);
  }

  onFileCancelled(roomId: string, clientId: string): void {
    const entry = this.core.entries.get(roomId);
    if (!entry) return;
    entry.timeline.removePending(clientId);
    this.core.changed(entry);
  }
}

function fileSource(item: ChatItem): FileSource | null {
  const file = item.file;
  if (!file || !file.fileId || !file.key || !file.digest) return null;
  return { fileId: file.fileId, key: file.key, digest: file.digest, name: file.name, mime: file.mime, size: file.size };
}
