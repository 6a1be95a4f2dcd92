import { z } from 'zod';
import { MESSAGE_MIN_ENVELOPE_BYTES } from '@onionchat/protocol';
import { base64Bytes } from '../common/schemas.js';

/**
 * A receipt is one envelope in the smallest padding bucket: its body names two messages
 * and nothing else (PROTOCOL.md §22), so every receipt has exactly this size.
 */
export const receiptBody = z.object({
  envelope: base64Bytes(MESSAGE_MIN_ENVELOPE_BYTES, MESSAGE_MIN_ENVELOPE_BYTES),
});

export type ReceiptBody = z.infer<typeof receiptBody>;
