// `onionchat chat`: the full-screen chat. Logs in like every command, then hands the
// session to the terminal UI until the person quits; downloads go to --downloads (or
// the folder typed after /save) through the disk sink, never anywhere else. The account
// goes along for /sessions, /end, /passphrase and /me.

import { downloadName, type ChatItem } from '@onionchat/client';
import { say, type Context } from '../context.js';
import { DiskSink, existingFolder } from '../disk-sink.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { runTui } from '../tui/index.js';
import { withChat } from './with-chat.js';

export interface ChatOptions {
  downloads?: string;
}

export async function chat(context: Context, options: ChatOptions): Promise<void> {
  const { stdin, stdout } = context.io;
  if (!stdin.isTTY || !(stdout as { isTTY?: boolean }).isTTY) {
    throw usageError('The chat needs a terminal. Scripts can use send, read and watch.');
  }
  const sink = new DiskSink(existingFolder(options.downloads ?? '.'));
  const lost = new AbortController();
  await withChat(
    context,
    async (session) => {
      await runTui({
        chat: session.chat,
        user: session.user,
        chooseFolder: (dir, item) => route(sink, dir, item),
        account: { access: session.account, origin: session.account.connection.pinned.origin },
        saved: sink,
        signal: lost.signal,
        input: stdin,
        output: stdout,
      });
    },
    { sink, ownSignals: true, onSessionLost: () => lost.abort() },
  );
  if (lost.signal.aborted) {
    throw new CliError(
      'Your session was ended (from another session, or it expired). Log in again.',
      EXIT.loginRefused,
    );
  }
  say(context.io.stderr, 'Logged out.');
}

/** The folder a download goes to: the one typed after /save, else the default. */
function route(sink: DiskSink, dir: string | null, item: ChatItem): string {
  if (dir === null) return sink.folder;
  const target = existingFolder(dir);
  if (item.file) sink.routeNext(downloadName(item.file.name), target);
  return target;
}
