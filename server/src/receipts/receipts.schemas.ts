import { z } from 'zod';
import { MESSAGE_MIN_ENVELOPE_BYTES } from '@onionchat/protocol';

/**
 * A receipt is one envelope in the smallest padding bucket (its body names two messages
 * and nothing else, PROTOCOL.md §22); the size is checked exactly in the service.
 */
export const receiptBody = z.object({
  envelope: z
    .string()
    .min(Math.ceil(MESSAGE_MIN_ENVELOPE_BYTES / 3) * 4 - 4, 'is too short to be a receipt')
    .max(Math.ceil(MESSAGE_MIN_ENVELOPE_BYTES / 3) * 4, 'is too long for a receipt'),
});

export type ReceiptBody = z.infer<typeof receiptBody>;
