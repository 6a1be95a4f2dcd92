import { decodeU32, decodeU64 } from './bytes.js';
import { ProtocolError } from './errors.js';

/**
 * Reads a record front to back and throws 'bad-length' as soon as a field
 * would run past the end, so parsers never index out of bounds.
 */
export class ByteReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(field: string): number {
    return this.take(1, field)[0] as number;
  }

  /** Big-endian unsigned 16-bit integer. */
  u16(field: string): number {
    const bytes = this.take(2, field);
    return ((bytes[0] as number) << 8) | (bytes[1] as number);
  }

  /** Big-endian unsigned 32-bit integer. */
  u32(field: string): number {
    return decodeU32(this.take(4, field), 0);
  }

  /** Big-endian unsigned 64-bit integer; 'bad-encoding' above 2^53 - 1. */
  u64(field: string): number {
    return decodeU64(this.take(8, field), 0);
  }

  /** Returns a copy, so callers may keep it after the source is wiped. */
  take(length: number, field: string): Uint8Array {
    this.ensure(length, field);
    const start = this.offset;
    this.offset += length;
    return this.bytes.slice(start, start + length);
  }

  private ensure(length: number, field: string): void {
    if (length > this.remaining) {
      throw new ProtocolError(
        'bad-length',
        `${this.what} is truncated: ${field} needs ${length} bytes but only ${this.remaining} remain.`,
      );
    }
  }
}
