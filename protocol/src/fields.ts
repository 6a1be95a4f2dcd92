import { ProtocolError } from './errors.js';

/** Key epochs count from 1; 0 is never a valid epoch. */
export const EPOCH_MIN = 1;
const EPOCH_MAX = 0xffff_ffff;

/** Throws 'bad-encoding' unless `epoch` is an integer from 1 to 2^32 - 1. */
export function checkEpoch(epoch: number, what: string): void {
  if (!Number.isInteger(epoch) || epoch < EPOCH_MIN || epoch > EPOCH_MAX) {
    throw new ProtocolError('bad-encoding', `${what}: the epoch must be an integer from 1 to 2^32 - 1, got ${epoch}.`);
  }
}

/**
 * Checks the version byte before anything else, so a record of a newer
 * version is reported as 'bad-version' whatever its length.
 */
export function checkVersion(record: Uint8Array, version: number, what: string): void {
  if (!(record instanceof Uint8Array) || record.length === 0) {
    throw new ProtocolError('bad-length', `${what} is empty or not a byte array.`);
  }
  if (record[0] !== version) {
    throw new ProtocolError('bad-version', `Unknown ${what.toLowerCase()} version ${record[0]}.`);
  }
}
