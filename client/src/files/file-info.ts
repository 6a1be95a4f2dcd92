// Small pieces for file transfers: sizes, speeds and times in words, what kind of file
// something is (for its icon), which images get a preview, and a name that is safe to
// save under. No DOM and no network: pages and the terminal client use them alike.

import { sayer } from '../present/phrasebook.js';
import { FILE_PHRASES } from './file-phrases.js';

const say = sayer(FILE_PHRASES);

/** Images shown as a preview (in a page, decoded by the browser from a blob: URL). Never SVG. */
const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Larger images are not previewed at all (it would mean downloading them). */
export const PREVIEW_MAX_BYTES = 10 * 1024 * 1024;
/** Images up to this size are previewed without asking, once on screen. */
export const AUTO_PREVIEW_MAX_BYTES = 1024 * 1024;

export function previewable(mime: string, size: number): boolean {
  return PREVIEW_TYPES.has(mime) && size <= PREVIEW_MAX_BYTES;
}

export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'archive' | 'text' | 'document' | 'other';

const ARCHIVES = /(zip|x-7z|x-rar|vnd\.rar|x-tar|gzip|x-bzip2|x-xz|zstd|compressed)/;
const DOCUMENTS = /(msword|wordprocessing|spreadsheet|ms-excel|presentation|ms-powerpoint|opendocument|rtf|epub)/;

export function fileKind(mime: string, name: string): FileKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime === 'application/pdf') return 'pdf';
  if (ARCHIVES.test(mime)) return 'archive';
  if (DOCUMENTS.test(mime)) return 'document';
  if (mime.startsWith('text/') || mime === 'application/json') return 'text';
  const extension = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (['zip', '7z', 'rar', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst'].includes(extension)) return 'archive';
  if (['pdf'].includes(extension)) return 'pdf';
  if (['txt', 'md', 'csv', 'log', 'json'].includes(extension)) return 'text';
  if (['doc', 'docx', 'odt', 'xls', 'xlsx', 'ods', 'ppt', 'pptx', 'odp', 'rtf', 'epub'].includes(extension))
    return 'document';
  return 'other';
}

const UNITS = ['files.size.kilobytes', 'files.size.megabytes', 'files.size.gigabytes', 'files.size.terabytes'] as const;

/** "532 bytes", "48 KB", "5.2 MB" (powers of 1024, as file managers count). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return say('files.size.bytes', { count: bytes });
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return say(UNITS[unit]!, { value: value.toFixed(digits) });
}

export function formatSpeed(bytesPerSecond: number): string {
  return say('files.progress.speed', { size: formatBytes(Math.round(bytesPerSecond)) });
}

/** "about 3 min left", "about 20 s left", "a few seconds left". */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 5) return say('files.progress.fewSecondsLeft');
  if (seconds < 90) return say('files.progress.secondsLeft', { seconds: String(Math.round(seconds / 5) * 5) });
  if (seconds < 90 * 60) return say('files.progress.minutesLeft', { minutes: String(Math.round(seconds / 60)) });
  const hours = seconds / 3600;
  return say('files.progress.hoursLeft', { hours: hours < 10 ? hours.toFixed(1) : String(Math.round(hours)) });
}

/** Names Windows refuses, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * The name to save a received file under. The protocol has already replaced path
 * separators, control and bidirectional characters (readFileMessageBody); this also
 * removes what file systems or the save dialog trip over: characters Windows forbids,
 * leading dots (hidden files), trailing dots and spaces, reserved device names.
 */
export function downloadName(name: string): string {
  let safe = name
    .replace(/[<>:"/\\|?*]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '')
    .trim();
  if (RESERVED.test(safe)) safe = `_${safe}`;
  return safe.length > 0 ? safe : 'file';
}

/** A monotonic clock in ms (Platform.monotonic). */
export type Clock = () => number;

const defaultClock: Clock = () => performance.now();

/** Speed over the last few seconds, and the time left at that speed. */
export class SpeedMeter {
  private samples: { time: number; bytes: number }[] = [];

  constructor(
    private readonly windowMs = 8_000,
    private readonly clock: Clock = defaultClock,
  ) {}

  /** `bytes`: the total done so far. Going back (a failed request) starts over. */
  add(bytes: number, time = this.clock()): void {
    const last = this.samples[this.samples.length - 1];
    if (last && bytes < last.bytes) this.samples = [];
    this.samples.push({ time, bytes });
    while (this.samples.length > 2 && time - this.samples[0]!.time > this.windowMs) this.samples.shift();
  }

  reset(): void {
    this.samples = [];
  }

  /** Bytes per second, or null while there is too little to tell. */
  speed(now = this.clock()): number | null {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last === first) return null;
    // Stalled since the last sample: the speed drops.
    const span = Math.max(last.time, now) - first.time;
    if (span < 750) return null;
    return ((last.bytes - first.bytes) * 1000) / span;
  }

  secondsLeft(remaining: number, now = this.clock()): number | null {
    const speed = this.speed(now);
    if (speed === null || speed <= 0) return null;
    return remaining / speed;
  }
}
