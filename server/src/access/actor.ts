import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Who is making a request: set by the session guard, read by handlers. */
export interface Actor {
  userId: string;
  username: string;
  sessionId: string;
}

export type AuthedRequest = Request & { actor?: Actor };

export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

export const PUBLIC_ROUTE = 'onionchat:public';
/** Marks a route that anyone may call without a session. Everything else needs one. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
