// The file-crypto worker's entry: the client core's file engine, off the page, so
// encrypting and decrypting (slow without a JIT) never freezes the conversation.
// Started by the page's client (hooks/client.ts).

import { serveFileEngine } from '@onionchat/client';

serveFileEngine(self);
