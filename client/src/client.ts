// The client's front door: one object per app (a page, the terminal client, a test)
// that owns the API, the account flows and, once keys are unlocked, a chat session.
// Everything it needs from where it runs comes in through ClientOptions.

import type { Identity } from '@onionchat/protocol';
import type { User } from '@onionchat/contract';
import { AccountFlows } from './account/index.js';
import { ChatSession } from './chat/index.js';
import { FileCrypto, FileTransfers, type FileSink } from './files/index.js';
import type { Platform } from './platform.js';
import { Api } from './transport/api.js';
import type { HttpTransport } from './transport/http.js';
import { Realtime, type LiveConnection } from './transport/realtime.js';
import type { BundleVault } from './trust/index.js';

export interface ClientOptions {
  http: HttpTransport;
  platform: Platform;
  /** The service's origin, for invite links ('http://….onion'). */
  origin: string;
  /** Where files are handed to the person once they check out. */
  sink: FileSink;
  /** The live connection of a chat session (default: socket.io on this origin). */
  live?: (onSessionLost: () => void) => LiveConnection;
  /** Starts the file worker (a page passes `() => new Worker(new URL(…))`); without it files are encrypted in-process. */
  createFileWorker?: () => Worker;
}

export interface ChatStart {
  user: User;
  identity: Identity;
  /** The open key bundle, where contact pins are saved (null: they last only as long as the session). */
  vault: BundleVault | null;
  onSessionLost: () => void;
}

export class OnionChatClient {
  readonly api: Api;
  readonly account: AccountFlows;

  constructor(private readonly options: ClientOptions) {
    this.api = new Api(options.http);
    this.account = new AccountFlows(this.api, options.origin);
  }

  /** A chat session for unlocked keys; call start() on it, and stop() when done. */
  startChat(start: ChatStart): ChatSession {
    const { platform } = this.options;
    const live =
      this.options.live?.(start.onSessionLost) ??
      new Realtime({ platform, onSessionLost: start.onSessionLost, origin: this.options.origin });
    const crypto = new FileCrypto({ platform, createWorker: this.options.createFileWorker });
    return new ChatSession({
      ...start,
      api: this.api,
      live,
      platform,
      files: (hooks) => new FileTransfers({ api: this.api, platform, crypto, sink: this.options.sink, hooks }),
    });
  }
}
