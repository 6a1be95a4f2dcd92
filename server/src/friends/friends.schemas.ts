import { z } from 'zod';
import { username, uuid } from '../common/schemas.js';
import { wrappedKeyRecord } from '../rooms/rooms.schemas.js';

export const usernameBody = z.object({ username });

export const acceptBody = z.object({
  roomId: uuid,
  wrappedKeys: z
    .array(z.object({ memberId: uuid, record: wrappedKeyRecord }))
    .length(2, 'must hold one wrapped key for each of the two members'),
});

export type AcceptBody = z.infer<typeof acceptBody>;
