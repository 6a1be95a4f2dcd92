// The client's front door: one object per app (a page, the terminal client, a test)
// that owns the API and the account flows; chat-start.ts makes chat sessions from it
// once keys are unlocked (apart, so pages without a chat do not load the chat).
// Everything it needs from where it runs comes in through ClientOptions.

import { AccountFlows, deleteAccount, type DeleteAccountInput } from './account/index.js';
import type { FileSink } from './files/sink.js';
import type { Platform } from './platform.js';
import { Api } from './transport/api.js';
import type { HttpTransport } from './transport/http.js';
import type { LiveConnection } from './transport/realtime.js';

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
  /** An Api the page already made on `http` (its session-lost listeners stay in one place); default: a new one. */
  api?: Api;
}

export class OnionChatClient {
  readonly api: Api;
  readonly account: AccountFlows;

  constructor(readonly options: ClientOptions) {
    this.api = options.api ?? new Api(options.http);
    this.account = new AccountFlows(this.api, options.origin);
  }

  /** Deletes the account (account/delete-account.ts); on success, sign out and wipe the keys as a log-out does. */
  deleteAccount(input: Omit<DeleteAccountInput, 'api'>): Promise<void> {
    return deleteAccount({ ...input, api: this.api });
  }
}
