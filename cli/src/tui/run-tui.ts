// `onionchat chat`'s full-screen UI: runTui draws the chat session in the terminal
// until the person quits (/quit, Ctrl-C), and always gives the terminal back, also
// after an error, SIGINT or SIGTERM. Nothing is written to disk here (downloads go
// through the session's file sink). The session is the caller's: started here if it
// was not yet, never stopped here.

import type { Readable, Writable } from 'node:stream';
import { describeError, type ChatSession } from '@onionchat/client';
import type { TuiActions } from './commands.js';
import { TuiController } from './controller.js';
import { Screen } from './screen.js';
import { sessionActions, type SessionActionsOptions } from './session-actions.js';

export interface RunTuiOptions {
  chat: ChatSession;
  user: { id: string; username: string };
  /** What the commands do; left out: sessionActions(chat, { chooseFolder, account }). */
  actions?: TuiActions;
  /** Where /save N FOLDER puts a file (see SessionActionsOptions); used only when `actions` is left out. */
  chooseFolder?: SessionActionsOptions['chooseFolder'];
  /** The logged-in account, for /sessions, /end, /passphrase and /me; used only when `actions` is left out. */
  account?: SessionActionsOptions['account'];
  /** Tells where each downloaded file was written (the file sink's onSaved), shown as a notice. */
  saved?: { onSaved(listener: (file: string) => void): () => void };
  /** Ends the UI from outside (the session was lost): the terminal is given back, runTui resolves. */
  signal?: AbortSignal;
  /** The terminal (default: this process's stdin and stdout). */
  input?: Readable;
  output?: Writable;
}

/** Resolves when the person quits; rejects (with the terminal restored) if drawing fails. */
export function runTui(options: RunTuiOptions): Promise<void> {
  const { chat, user } = options;
  const actions =
    options.actions ?? sessionActions(chat, { chooseFolder: options.chooseFolder, account: options.account });

  return new Promise<void>((resolve, reject) => {
    let finished = false;
    let controller: TuiController | null = null;
    const screen = new Screen(
      { input: options.input, output: options.output },
      (key) => guard(() => controller?.key(key)),
      () => guard(() => controller?.render()),
    );

    let unsaved: (() => void) | null = null;
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      unsaved?.();
      controller?.stop();
      screen.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
      options.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(describeError(error)));
    };
    const onSignal = () => finish();
    const onAbort = () => finish();
    const onCrash = (error: unknown) => finish(error);
    function guard(run: () => void) {
      try {
        run();
      } catch (error) {
        finish(error);
      }
    }

    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
    if (options.signal?.aborted) return finish();
    options.signal?.addEventListener('abort', onAbort);

    guard(() => {
      controller = new TuiController({ chat, user, actions, screen, onQuit: () => finish() });
      screen.start();
      chat.start();
      controller.start();
      unsaved = options.saved?.onSaved((file) => controller?.notice(`Saved ${file}.`)) ?? null;
    });
  });
}
