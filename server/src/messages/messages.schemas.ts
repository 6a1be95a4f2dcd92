import { z } from 'zod';
import { MESSAGE_MIN_ENVELOPE_BYTES } from '@onionchat/protocol';
import { queryNumber, uuid } from '../common/schemas.js';
import { disappearsAtField } from '../retention/disappears-at.js';

/** The envelope is checked for size in the service, where the limit is configured. */
export const sendBody = z.object({
  clientId: uuid,
  envelope: z.string().min(Math.ceil(MESSAGE_MIN_ENVELOPE_BYTES / 3) * 4 - 4, 'is too short to be a message'),
  /** Checked in the service (disappearsAtOf), which answers its own codes. */
  disappearsAt: disappearsAtField,
});
export const sendEvent = sendBody.extend({ roomId: uuid });

/** A message number: a whole number from 0 to 2^53 - 1 (too large says so, not "not whole"). */
const seq = z
  .number()
  .min(0, 'must not be negative')
  .max(Number.MAX_SAFE_INTEGER, `must be at most ${Number.MAX_SAFE_INTEGER}`)
  .refine(Number.isInteger, 'must be a whole number');

export const pageQuery = z
  .object({
    after: queryNumber(seq).optional(),
    before: queryNumber(seq).optional(),
    limit: queryNumber(z.number().min(1, 'must be at least 1').max(1000, 'must be at most 1000')).optional(),
  })
  .refine((q) => q.after === undefined || q.before === undefined, 'give either after or before, not both');

export const readBody = z.object({ seq });

export type SendBody = z.infer<typeof sendBody>;
export type PageQuery = z.infer<typeof pageQuery>;
