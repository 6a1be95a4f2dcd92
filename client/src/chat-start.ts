// A chat session for unlocked keys, made from the app's client: its live connection,
// its file engine (in a worker where the app can start one) and its file transfers.

import type { User } from '@onionchat/contract';
import type { Identity } from '@onionchat/protocol';
import { ChatSession } from './chat/index.js';
import type { OnionChatClient } from './client.js';
import { FileCrypto, FileTransfers } from './files/index.js';
import { Realtime } from './transport/realtime.js';
import type { BundleVault } from './trust/index.js';

export interface ChatStart {
  user: User;
  identity: Identity;
  /** The open key bundle, where contact pins are saved (null: they last only as long as the session). */
  vault: BundleVault | null;
  onSessionLost: () => void;
}

/** Call start() on the session, and stop() when done. */
export function startChat(client: OnionChatClient, start: ChatStart): ChatSession {
  const { platform, origin, sink, createFileWorker } = client.options;
  const live =
    client.options.live?.(start.onSessionLost) ??
    new Realtime({ platform, onSessionLost: start.onSessionLost, origin });
  const crypto = new FileCrypto({ platform, createWorker: createFileWorker });
  return new ChatSession({
    ...start,
    api: client.api,
    live,
    platform,
    files: (hooks) => new FileTransfers({ api: client.api, platform, crypto, sink, hooks }),
  });
}
