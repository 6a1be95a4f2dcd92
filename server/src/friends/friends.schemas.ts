import { z } from 'zod';
import { WRAPPED_ROOM_KEY_BYTES } from '@onionchat/protocol';
import { base64Bytes, username, uuid } from '../common/schemas.js';

export const usernameBody = z.object({ username });

export const acceptBody = z.object({
  roomId: uuid,
  wrappedKeys: z
    .array(z.object({ memberId: uuid, record: base64Bytes(WRAPPED_ROOM_KEY_BYTES, WRAPPED_ROOM_KEY_BYTES) }))
    .length(2, 'must hold one wrapped key for each of the two members'),
});

export type AcceptBody = z.infer<typeof acceptBody>;
