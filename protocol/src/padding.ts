import { concatBytes, decodeU32, encodeU32, isAllZero } from './bytes.js';
import { ProtocolError } from './errors.js';

/** The smallest bucket: most chat lines fit, so they all look alike. */
export const MESSAGE_MIN_PADDED_BYTES = 256;
/** The largest bucket; longer content is refused ('too-large'). */
export const MESSAGE_MAX_PADDED_BYTES = 65536;
const LENGTH_PREFIX_BYTES = 4;
/** The most content the largest bucket holds: 65532 bytes. */
export const MESSAGE_MAX_CONTENT_BYTES = MESSAGE_MAX_PADDED_BYTES - LENGTH_PREFIX_BYTES;

/**
 * The padded size for `contentLength` bytes of content: the smallest power
 * of two that holds the 4-byte length prefix and the content, and at least
 * MESSAGE_MIN_PADDED_BYTES. Throws 'too-large' past the largest bucket.
 */
export function paddedSize(contentLength: number): number {
  const needed = LENGTH_PREFIX_BYTES + contentLength;
  if (!Number.isInteger(contentLength) || contentLength < 0 || needed > MESSAGE_MAX_PADDED_BYTES) {
    throw new ProtocolError(
      'too-large',
      `A message holds at most ${MESSAGE_MAX_CONTENT_BYTES} bytes of content, got ${contentLength}.`,
    );
  }
  let size = MESSAGE_MIN_PADDED_BYTES;
  while (size < needed) size *= 2;
  return size;
}

/** u32 len(content) || content || zero bytes up to paddedSize(len(content)). */
export function pad(content: Uint8Array): Uint8Array {
  const size = paddedSize(content.length);
  const out = new Uint8Array(size);
  out.set(concatBytes(encodeU32(content.length), content));
  return out;
}

/**
 * Returns the content. Only the one canonical padding is accepted: the
 * padded length must be exactly the bucket for the content length, and
 * every pad byte must be zero ('bad-padding').
 */
export function unpad(padded: Uint8Array): Uint8Array {
  if (padded.length < MESSAGE_MIN_PADDED_BYTES || padded.length > MESSAGE_MAX_PADDED_BYTES) {
    throw badPadding(`${padded.length} bytes is outside the bucket sizes`);
  }
  const length = decodeU32(padded, 0);
  if (length > padded.length - LENGTH_PREFIX_BYTES) {
    throw badPadding(`the content length ${length} runs past the end of ${padded.length} bytes`);
  }
  if (padded.length !== paddedSize(length)) {
    throw badPadding(`${padded.length} bytes is not the bucket for ${length} bytes of content`);
  }
  const end = LENGTH_PREFIX_BYTES + length;
  if (!isAllZero(padded.subarray(end))) throw badPadding('a padding byte is not zero');
  return padded.slice(LENGTH_PREFIX_BYTES, end);
}

function badPadding(reason: string): ProtocolError {
  return new ProtocolError('bad-padding', `The message padding is invalid: ${reason}.`);
}
