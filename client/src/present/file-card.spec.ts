import { describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/index.js';
import type { DownloadPhase, DownloadView, Progress, UploadPhase, UploadView } from '../files/transfers.js';
import {
  cardState,
  fileCardView,
  isRunning,
  kindLabel,
  percentDone,
  progressDetail,
  shortExtension,
  tamperedText,
  statusText,
  type FileCardState,
} from './file-card.js';

const progress = (
  done = 0,
  total = 1000,
  speed: number | null = null,
  secondsLeft: number | null = null,
): Progress => ({
  done,
  total,
  speed,
  secondsLeft,
});

/** A file message; mine and not stored yet unless told otherwise. */
function item(fields: Partial<ChatItem> = {}): ChatItem {
  return {
    key: 'k',
    roomId: 'r',
    seq: null,
    senderId: 'me',
    mine: true,
    state: 'pending',
    text: null,
    file: { name: 'a.bin', mime: 'application/octet-stream', size: 1000, fileId: null, key: null, digest: null },
    unsupportedType: null,
    note: null,
    time: 0,
    messageId: 'm',
    ...fields,
  };
}

/** Stored on the server: mine (sent) or theirs. */
const storedMine = (fields: Partial<ChatItem> = {}) => item({ seq: 7, state: 'sent', ...fields });
const theirs = (fields: Partial<ChatItem> = {}) =>
  item({ seq: 7, state: 'sent', mine: false, senderId: 'bob', ...fields });

function upload(phase: UploadPhase, fields: Partial<UploadView> = {}): UploadView {
  return { phase, progress: progress(), note: null, resumable: false, previewUrl: null, ...fields };
}

function download(phase: DownloadPhase, fields: Partial<DownloadView> = {}): DownloadView {
  return { phase, progress: progress(), note: null, save: true, saved: false, previewUrl: null, ...fields };
}

describe('cardState', () => {
  it('my file not stored yet: uploading, or failed when the upload or its message failed', () => {
    expect(cardState(item(), false, null, null, 'unknown')).toBe('uploading');
    expect(cardState(item(), false, upload('uploading'), null, 'unknown')).toBe('uploading');
    expect(cardState(item(), false, upload('done'), null, 'ready')).toBe('uploading');
    expect(cardState(item(), false, upload('failed'), null, 'unknown')).toBe('failed');
    expect(cardState(item({ state: 'failed' }), false, upload('done'), null, 'unknown')).toBe('failed');
  });

  it('stored: sent (mine) or ready (theirs) unless the server or a download says otherwise', () => {
    expect(cardState(storedMine(), true, upload('done'), null, 'unknown')).toBe('sent');
    expect(cardState(storedMine(), true, null, null, 'ready')).toBe('sent');
    expect(cardState(theirs(), true, null, null, 'ready')).toBe('ready');
    expect(cardState(theirs(), true, null, null, 'uploading')).toBe('uploading');
    expect(cardState(theirs(), true, null, null, 'gone')).toBe('failed');
    expect(cardState(storedMine(), true, null, null, 'gone')).toBe('failed');
  });

  it('follows a download: tampered, failed, not ready yet, saving, saved', () => {
    const state = (d: DownloadView) => cardState(theirs(), true, null, d, 'ready');
    expect(state(download('tampered'))).toBe('tampered');
    expect(state(download('failed'))).toBe('failed');
    expect(state(download('not-ready'))).toBe('uploading');
    expect(state(download('not-ready', { save: false }))).toBe('uploading');
    for (const phase of ['queued', 'downloading', 'waiting', 'verifying'] as const) {
      expect(state(download(phase))).toBe('downloading');
      // Only a preview: the card stays as it was.
      expect(state(download(phase, { save: false }))).toBe('ready');
    }
    expect(state(download('done', { saved: true }))).toBe('downloaded');
    expect(state(download('done', { save: false, saved: false }))).toBe('ready');
    // A download that failed outweighs what the server says.
    expect(cardState(theirs(), true, null, download('failed'), 'uploading')).toBe('failed');
  });

  it('a saved download outweighs a file the server no longer lists; otherwise it is gone', () => {
    expect(cardState(theirs(), true, null, download('done', { saved: true }), 'gone')).toBe('downloaded');
    expect(cardState(theirs(), true, null, download('done', { save: false }), 'gone')).toBe('failed');
  });
});

describe('isRunning', () => {
  it('is true while queued, downloading, waiting, not ready or verifying', () => {
    const running = (
      ['queued', 'downloading', 'waiting', 'not-ready', 'verifying', 'done', 'failed', 'tampered'] as const
    )
      .filter((phase) => isRunning(download(phase)))
      .sort();
    expect(running).toEqual(['downloading', 'not-ready', 'queued', 'verifying', 'waiting']);
  });
});

describe('statusText', () => {
  const text = (
    state: FileCardState,
    message: ChatItem,
    up: UploadView | null = null,
    down: DownloadView | null = null,
    remote: 'unknown' | 'gone' | 'ready' | 'uploading' = 'unknown',
  ) => statusText(state, message, up, down, remote);

  it('uploading their file, or mine once stored: can be downloaded once it has arrived', () => {
    const arriving = 'Uploading… It can be downloaded once it has arrived.';
    expect(text('uploading', theirs())).toBe(arriving);
    expect(text('uploading', storedMine(), upload('uploading'))).toBe(arriving);
  });

  it('uploading mine: each phase of the upload', () => {
    expect(text('uploading', item())).toBe('Sending…');
    expect(text('uploading', item(), upload('queued'))).toBe('Waiting to upload…');
    expect(text('uploading', item(), upload('encrypting'))).toBe('Encrypting…');
    expect(text('uploading', item(), upload('encrypting', { progress: progress(1) }))).toBe('Uploading…');
    expect(text('uploading', item(), upload('uploading'))).toBe('Uploading…');
    expect(text('uploading', item(), upload('waiting'))).toBe('Trying again in a moment…');
    expect(text('uploading', item(), upload('waiting', { note: 'The connection dropped.' }))).toBe(
      'The connection dropped. Trying again in a moment…',
    );
    expect(text('uploading', item(), upload('done'))).toBe('Sending the message…');
    expect(text('uploading', item({ note: 'No connection.' }), upload('done'))).toBe(
      'Sending the message (No connection)…',
    );
  });

  it('sent, ready, downloaded, tampered', () => {
    expect(text('sent', storedMine())).toBe('End-to-end encrypted.');
    expect(text('ready', theirs())).toBe('End-to-end encrypted.');
    expect(text('downloaded', theirs(), null, download('done', { saved: true }))).toBe('Downloaded and verified.');
    expect(text('tampered', theirs(), null, download('tampered'))).toBe(tamperedText());
    expect(tamperedText()).toBe('This file was tampered with or damaged; it was not saved.');
  });

  it('downloading: checking, waiting (with why), or downloading', () => {
    expect(text('downloading', theirs(), null, download('verifying'))).toBe('Checking the file…');
    expect(text('downloading', theirs(), null, download('waiting'))).toBe('Trying again in a moment…');
    expect(text('downloading', theirs(), null, download('waiting', { note: 'Too many requests.' }))).toBe(
      'Too many requests. Trying again in a moment…',
    );
    expect(text('downloading', theirs(), null, download('downloading'))).toBe('Downloading and decrypting…');
    expect(text('downloading', theirs(), null, download('queued'))).toBe('Downloading and decrypting…');
  });

  it('failed: my upload or message, a download, a file gone, or anything else', () => {
    expect(text('failed', item(), upload('failed'))).toBe('Not sent.');
    expect(text('failed', item(), upload('failed', { note: 'The file is too big.' }))).toBe(
      'Not sent: The file is too big.',
    );
    expect(text('failed', item(), upload('failed', { note: 'No connection.', resumable: true }))).toBe(
      'Not sent: No connection. Retry continues where it stopped, as long as this page stays open.',
    );
    expect(text('failed', item(), upload('failed', { resumable: true }))).toBe(
      'Not sent. Retry continues where it stopped, as long as this page stays open.',
    );
    expect(text('failed', item({ state: 'failed' }), upload('done'))).toBe('Not sent.');
    expect(text('failed', item({ state: 'failed', note: 'Refused.' }), null)).toBe('Not sent: Refused.');
    expect(text('failed', theirs(), null, download('failed'))).toBe('Download failed.');
    expect(text('failed', theirs(), null, download('failed', { note: 'It broke.' }))).toBe(
      'Download failed: It broke.',
    );
    expect(text('failed', theirs(), null, null, 'gone')).toBe('This file is no longer on the server.');
    expect(text('failed', storedMine(), null, null, 'gone')).toBe('This file is no longer on the server.');
    expect(text('failed', theirs())).toBe('Something went wrong.');
  });
});

describe('labels', () => {
  it('names each kind of file', () => {
    const kinds = ['image', 'video', 'audio', 'pdf', 'archive', 'text', 'document', 'other'] as const;
    expect(Object.fromEntries(kinds.map((kind) => [kind, kindLabel(kind)]))).toEqual({
      image: 'Image',
      video: 'Video',
      audio: 'Audio',
      pdf: 'PDF',
      archive: 'Archive',
      text: 'Text',
      document: 'Document',
      other: 'File',
    });
  });

  it('shortExtension: up to four letters or digits, upper-case', () => {
    expect(shortExtension('random.bin')).toBe('BIN');
    expect(shortExtension('archive.tar.gz')).toBe('GZ');
    expect(shortExtension('notes.Jpeg')).toBe('JPEG');
    expect(shortExtension('data.h264')).toBe('H264');
    expect(shortExtension('page.xhtml')).toBeNull();
    expect(shortExtension('README')).toBeNull();
    expect(shortExtension('odd.-x')).toBeNull();
    expect(shortExtension('dot.')).toBeNull();
  });
});

describe('progress', () => {
  it('percentDone: rounded down, 0% while the size is unknown', () => {
    expect(percentDone(progress(0, 1000))).toBe('0%');
    expect(percentDone(progress(999, 1000))).toBe('99%');
    expect(percentDone(progress(1000, 1000))).toBe('100%');
    expect(percentDone(progress(1, 3))).toBe('33%');
    expect(percentDone(progress(0, 0))).toBe('0%');
  });

  it('progressDetail: bytes done of all, then speed and time left while it runs and they are known', () => {
    const MB = 1024 * 1024;
    expect(progressDetail(progress(512, 2048))).toBe('512 bytes of 2.0 KB');
    expect(progressDetail(progress(MB, 5 * MB, 800 * 1024, 5))).toBe('1.0 MB of 5.0 MB · 800 KB/s · about 5 s left');
    expect(progressDetail(progress(MB, 5 * MB, 0, 120))).toBe('1.0 MB of 5.0 MB · about 2 min left');
    expect(progressDetail(progress(MB, 5 * MB, 1536, null))).toBe('1.0 MB of 5.0 MB · 1.5 KB/s');
    // Done: no speed or time left.
    expect(progressDetail(progress(5 * MB, 5 * MB, 800 * 1024, 0))).toBe('5.0 MB of 5.0 MB');
  });
});

describe('fileCardView', () => {
  const image = (size: number) => ({
    name: 'photo.jpg',
    mime: 'image/jpeg',
    size,
    fileId: 'f',
    key: new Uint8Array(32),
    digest: new Uint8Array(32),
  });

  it('a small image received: previewed once on screen, watched while the server may still have it coming', () => {
    const view = fileCardView(theirs(), image(2_000), null, null, 'ready');
    expect(view).toMatchObject({
      state: 'ready',
      kind: 'image',
      label: 'Image: photo.jpg, 2.0 KB',
      watchedFileId: 'f',
      autoPreview: true,
      offerPreview: false,
      downloadable: true,
    });
    // Still uploading on the sender's side: nothing to download or preview yet.
    expect(fileCardView(theirs(), image(2_000), null, null, 'uploading')).toMatchObject({
      state: 'uploading',
      autoPreview: false,
      downloadable: false,
    });
  });

  it('a large image is offered, never fetched unasked; a preview under way is not offered again', () => {
    const large = image(5 * 1024 * 1024);
    expect(fileCardView(theirs(), large, null, null, 'ready')).toMatchObject({
      autoPreview: false,
      offerPreview: true,
    });
    const previewing = download('downloading', { save: false });
    expect(fileCardView(theirs(), large, null, previewing, 'ready')).toMatchObject({
      previewing: true,
      offerPreview: false,
      saving: false,
    });
  });

  it('my upload: its bar shows while it runs, not when it failed before a byte left; a failed one offers retry', () => {
    const file = { ...image(2_000), fileId: null, key: null, digest: null };
    expect(fileCardView(item(), file, upload('uploading'), null, 'unknown')).toMatchObject({
      uploading: true,
      showUploadProgress: true,
      watchedFileId: null,
    });
    const failedEarly = fileCardView(item(), file, upload('failed'), null, 'unknown');
    expect(failedEarly).toMatchObject({ state: 'failed', showUploadProgress: false, uploadFailed: true });
    const failedLate = fileCardView(item(), file, upload('failed', { progress: progress(500) }), null, 'unknown');
    expect(failedLate.showUploadProgress).toBe(true);
  });

  it('a tampered download is said so, and nothing is offered to preview from it', () => {
    const view = fileCardView(theirs(), image(2_000), null, download('tampered'), 'ready');
    expect(view).toMatchObject({ state: 'tampered', tampered: true, status: tamperedText(), autoPreview: false });
  });
});
