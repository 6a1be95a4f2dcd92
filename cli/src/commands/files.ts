// File commands: send a file (progress on stderr), fetch one (checked by the core,
// written under a temporary name, then moved to its own).

import {
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  type ChatItem,
  type ChatSession,
  type Progress,
} from '@onionchat/client';
import { say, type Context } from '../context.js';
import { DiskSink, existingFolder } from '../disk-sink.js';
import { LocalFileError, openLocalFile } from '../local-file.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { checkSendable, findConversation, loadedConversation, type Target } from './friend-lookup.js';
import { settled } from './messages.js';
import { withChat } from './with-chat.js';

/** Progress is written at most this often (a line each time when stderr is not a terminal). */
const PROGRESS_EVERY_MS = 1_000;

export async function sendFile(context: Context, name: string, file: string): Promise<void> {
  const picked = await openLocalFile(file).catch((error: unknown) => {
    throw error instanceof LocalFileError ? usageError(error.message) : error;
  });
  const baseName = picked.name;
  await withChat(context, async ({ chat }) => {
    const target = await findConversation(chat, name);
    const room = await loadedConversation(chat, target);
    checkSendable(room);
    const before = new Set(room.items.map((item) => item.key));
    chat.sendFiles(target.roomId, [picked]);
    const stopProgress = showUploadProgress(context, chat, target.roomId, before, baseName);
    try {
      const item = await settled(chat, target.roomId, before);
      say(
        context.io.stdout,
        `Sent “${item.file?.name ?? baseName}” to ${target.name} (file id ${item.file?.fileId ?? '?'}).`,
      );
    } finally {
      stopProgress();
    }
  });
}

/** Writes upload progress to stderr; throws (through the wait) nothing: a failed upload fails its message. */
function showUploadProgress(
  context: Context,
  chat: ChatSession,
  roomId: string,
  before: ReadonlySet<string>,
  name: string,
): () => void {
  const meter = new ProgressPrinter(context, `Uploading ${name}`);
  return chat.files.subscribe(() => {
    const items = chat.getSnapshot().rooms.get(roomId)?.items ?? [];
    const mine = items.find((item) => item.mine && !before.has(item.key));
    const view = mine ? chat.files.upload(mine.key.replace(/^id:/, '')) : null;
    if (view) meter.show(view.progress, view.note);
  });
}

export async function getFile(context: Context, name: string, which: string, options: { to?: string }): Promise<void> {
  const sink = new DiskSink(existingFolder(options.to ?? '.'));
  await withChat(
    context,
    async ({ chat }) => {
      const target = await findConversation(chat, name);
      const item = await findFileItem(chat, target, which);
      const saved = new Promise<string>((resolve) => sink.onSaved(resolve));
      chat.saveFile(item);
      const file = await Promise.race([saved, downloadFailure(context, chat, item)]);
      say(context.io.stdout, `Saved ${file} (${formatBytes(item.file?.size ?? 0)}, checked).`);
    },
    { sink },
  );
}

/** The newest file message whose file id or name is `which`, looking back through the whole history. */
async function findFileItem(chat: ChatSession, target: Target, which: string): Promise<ChatItem> {
  let room = await loadedConversation(chat, target);
  for (;;) {
    const found = [...room.items]
      .reverse()
      .find((item) => item.file?.fileId && (item.file.fileId === which || item.file.name === which));
    if (found) return found;
    if (!room.hasOlder)
      throw new CliError(`No file “${which}” in your conversation with ${target.name}.`, EXIT.failure);
    await chat.loadOlder(target.roomId);
    room = await loadedConversation(chat, target);
  }
}

/** Rejects when the download fails or does not check out; shows its progress meanwhile. */
function downloadFailure(context: Context, chat: ChatSession, item: ChatItem): Promise<never> {
  const meter = new ProgressPrinter(context, `Downloading ${item.file?.name ?? 'file'}`);
  return new Promise<never>((_, reject) => {
    const stop = chat.files.subscribe(() => {
      const view = chat.files.download(item.key);
      if (!view) return;
      meter.show(view.progress, view.note);
      if (view.phase === 'tampered') {
        stop();
        reject(new CliError(view.note ?? 'The file did not check out: it was not saved.', EXIT.trust));
      } else if (view.phase === 'failed') {
        stop();
        reject(new CliError(view.note ?? 'The download failed.', EXIT.failure));
      }
    });
  });
}

/** Progress on stderr: rewritten in place on a terminal, a line now and then otherwise. */
class ProgressPrinter {
  private last = 0;
  private readonly tty: boolean;

  constructor(
    private readonly context: Context,
    private readonly label: string,
  ) {
    this.tty = (context.io.stderr as { isTTY?: boolean }).isTTY === true;
  }

  show(progress: Progress, note: string | null): void {
    const now = Date.now();
    const finished = progress.total > 0 && progress.done >= progress.total;
    if (now - this.last < PROGRESS_EVERY_MS && !finished) return;
    this.last = now;
    const text = progressText(this.label, progress, note);
    this.context.io.stderr.write(this.tty ? `\r\u001b[K${text}${finished ? '\n' : ''}` : `${text}\n`);
  }
}

export function progressText(label: string, progress: Progress, note: string | null): string {
  const percent = progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
  const parts = [`${label}: ${percent}% (${formatBytes(progress.done)} of ${formatBytes(progress.total)})`];
  if (progress.speed !== null) parts.push(formatSpeed(progress.speed));
  if (progress.secondsLeft !== null) parts.push(formatTimeLeft(progress.secondsLeft));
  if (note) parts.push(note);
  return parts.filter((part) => part.length > 0).join(', ');
}
