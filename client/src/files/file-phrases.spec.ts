import { afterEach, describe, expect, it } from 'vitest';
import type { ChatItem } from '../chat/index.js';
import { fileCardView, progressDetail, statusText } from '../present/file-card.js';
import { setSpeaker, type PhraseValues } from '../present/phrasebook.js';
import { formatBytes, formatSpeed, formatTimeLeft } from './file-info.js';
import { lowerFirst } from './transfers/retry-policy.js';
import type { DownloadView, UploadView } from './transfers.js';

/** Says every sentence as its key and values, so the test sees what was asked for. */
function installEcho(): void {
  setSpeaker({
    phrase: (key: string, values: PhraseValues | undefined) => (values ? `${key} ${JSON.stringify(values)}` : key),
    duration: (seconds) => `${seconds}s`,
  });
}

const file = { name: 'photo.jpg', mime: 'image/jpeg', size: 2048, fileId: 'f1', key: null, digest: null };

function item(fields: Partial<ChatItem> = {}): ChatItem {
  return {
    key: 'k',
    roomId: 'r',
    seq: null,
    senderId: 'me',
    mine: true,
    state: 'pending',
    text: null,
    file,
    unsupportedType: null,
    note: null,
    time: 0,
    messageId: 'm',
    ...fields,
  };
}

const progress = { done: 0, total: 1000, speed: null, secondsLeft: null };
const failedUpload = (fields: Partial<UploadView>): UploadView => ({
  phase: 'failed',
  progress,
  note: null,
  resumable: false,
  previewUrl: null,
  ...fields,
});
const waitingDownload: DownloadView = {
  phase: 'waiting',
  progress,
  note: 'La conexión se cayó.',
  save: true,
  saved: false,
  previewUrl: null,
};

describe('file sentences in the reader’s language', () => {
  afterEach(() => setSpeaker(null));

  it('says a file card’s label and kind by key, with the size said too', () => {
    installEcho();
    const view = fileCardView(item({ seq: 3, state: 'sent', mine: false }), file, null, null, 'ready');
    expect(view.kindLabel).toBe('files.kind.image');
    expect(view.label).toBe(
      'files.card.label {"kind":"files.kind.image","name":"photo.jpg","size":"files.size.kilobytes {\\"value\\":\\"2.0\\"}"}',
    );
    expect(view.status).toBe('files.status.encrypted');
  });

  it('gives a failed upload with and without a note, resumable or not, its own whole sentence', () => {
    installEcho();
    const mine = item();
    expect(statusText('failed', mine, failedUpload({}), null, 'unknown')).toBe('files.status.notSent');
    expect(statusText('failed', mine, failedUpload({ note: 'Too big.' }), null, 'unknown')).toBe(
      'files.status.notSentWithNote {"note":"Too big."}',
    );
    expect(statusText('failed', mine, failedUpload({ note: 'Too big.', resumable: true }), null, 'unknown')).toBe(
      'files.status.notSentWithNoteResumable {"note":"Too big."}',
    );
  });

  it('puts a waiting transfer’s note, without its full stop, inside the retry sentence', () => {
    installEcho();
    const theirs = item({ seq: 3, state: 'sent', mine: false });
    expect(statusText('downloading', theirs, null, waitingDownload, 'ready')).toBe(
      'files.status.tryingAgainWithNote {"note":"La conexión se cayó"}',
    );
  });

  it('words sizes, speeds and time left by key (a count for bytes)', () => {
    installEcho();
    expect(formatBytes(1)).toBe('files.size.bytes {"count":1}');
    expect(formatBytes(5 * 1024 * 1024)).toBe('files.size.megabytes {"value":"5.0"}');
    expect(formatSpeed(2048)).toBe('files.progress.speed {"size":"files.size.kilobytes {\\"value\\":\\"2.0\\"}"}');
    expect(formatTimeLeft(2)).toBe('files.progress.fewSecondsLeft');
    expect(formatTimeLeft(600)).toBe('files.progress.minutesLeft {"minutes":"10"}');
  });

  it('keeps the English exactly without a speaker', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(532)).toBe('532 bytes');
    expect(formatTimeLeft(20)).toBe('about 20 s left');
    expect(formatTimeLeft(3 * 3600)).toBe('about 3.0 h left');
    expect(progressDetail({ done: 1024 * 1024, total: 5 * 1024 * 1024, speed: 800 * 1024, secondsLeft: 5 })).toBe(
      '1.0 MB of 5.0 MB · 800 KB/s · about 5 s left',
    );
  });

  it('lowers a translated note’s first letter for the parentheses, in any cased alphabet', () => {
    expect(lowerFirst('Соединение прервалось.')).toBe('соединение прервалось');
    expect(lowerFirst('连接已断开。')).toBe('连接已断开');
    expect(lowerFirst('The connection dropped.')).toBe('the connection dropped');
    expect(lowerFirst('HTTP error.')).toBe('HTTP error');
  });
});
