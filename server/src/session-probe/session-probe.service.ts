// Who this browser is logged in as, for a page that only wants to know: a visitor without
// a session is an ordinary answer (null), not a 401 the browser would log. A cookie that
// names no session still spends its client's budget, exactly as on member routes, so this
// route is no cheaper a way to test guessed cookies.
import { Injectable } from '@nestjs/common';
import type { User } from '@onionchat/contract';
import { SessionCheck } from '../access/session-check.js';
import { userView } from '../users/user.view.js';
import { UsersRepository } from '../users/users.repository.js';

export interface Probe {
  user: User | null;
  /** The cookie named no live session: the caller should drop it. */
  stale: boolean;
}

@Injectable()
export class SessionProbeService {
  constructor(
    private readonly sessions: SessionCheck,
    private readonly users: UsersRepository,
  ) {}

  /** `token`: the session cookie, if any; `client`: the caller's budget key (its tor circuit). */
  async probe(token: string | undefined, client: string): Promise<Probe> {
    if (!token) return { user: null, stale: false };
    // The guard's own check, with its budget: this route is no cheaper a way to test cookies.
    const actor = await this.sessions.actorOf(token, client);
    if (!actor) return { user: null, stale: true };
    const user = await this.users.findById(actor.userId);
    return user ? { user: userView(user), stale: false } : { user: null, stale: true };
  }
}
