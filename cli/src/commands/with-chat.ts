// Runs a command's work inside a chat session that is always closed again (saved,
// stopped, logged out), whatever happened: also when the person presses Ctrl-C, so an
// interrupted command does not leave its session behind on the server.

import { describeError } from '@onionchat/client';
import { say, type Context } from '../context.js';
import { openSession, type OpenSession, type OpenSessionOptions } from '../session.js';

export interface WithChatOptions extends OpenSessionOptions {
  /** The work itself ends on SIGINT/SIGTERM (watch): do not exit early here. */
  ownSignals?: boolean;
}

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export async function withChat<T>(
  context: Context,
  work: (session: OpenSession) => Promise<T>,
  options: WithChatOptions = {},
): Promise<T> {
  const session = await openSession(context, options);
  const close = () =>
    session.close().catch((error: unknown) => {
      say(context.io.stderr, `Warning: the session could not be ended (${describeError(error)}).`);
    });
  const unwatch = options.ownSignals ? () => {} : exitOnSignal(close);
  try {
    return await work(session);
  } finally {
    unwatch();
    await close();
  }
}

/** Ends the session, then the process, on the first SIGINT or SIGTERM. */
function exitOnSignal(close: () => Promise<void>): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => void close().finally(() => process.exit(SIGNAL_EXIT[signal]));
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
