import { z } from 'zod';
import { MESSAGE_MIN_ENVELOPE_BYTES } from '@onionchat/protocol';
import { uuid } from '../common/schemas.js';

/** The envelope is checked for size in the service, where the limit is configured. */
export const sendBody = z.object({
  clientId: uuid,
  envelope: z.string().min(Math.ceil(MESSAGE_MIN_ENVELOPE_BYTES / 3) * 4 - 4, 'is too short to be a message'),
});
export const sendEvent = sendBody.extend({ roomId: uuid });

const seq = z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER);

export const pageQuery = z
  .object({ after: seq.optional(), before: seq.optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
  .refine((q) => q.after === undefined || q.before === undefined, 'give either after or before, not both');

export const readBody = z.object({ seq });

export type SendBody = z.infer<typeof sendBody>;
export type PageQuery = z.infer<typeof pageQuery>;
