// What the full-screen UI (and any other front end in this package) reuses: logging in
// through the pinned origin and opening the chat session.

export { openSession, logIn, connect, type OpenSession, type OpenSessionOptions, type Account } from './session.js';
export { type Context, type GlobalOptions, type Io, processIo } from './context.js';
export { EXIT, CliError, exitCodeFor, type ExitCode } from './exit-codes.js';
export { messageRecord, messageLine, messageJson, singleLine, type MessageRecord } from './render.js';
