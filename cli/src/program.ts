// The command line: every command, its options and its help, built by a function so
// tests can run it with any argv and capture what it prints. What each command does
// lives in ./commands/; `handlers` can be swapped (argument-parsing tests).

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describeError } from '@onionchat/client';
import type { Context, GlobalOptions, Io } from './context.js';
import { say } from './context.js';
import { EXIT, EXIT_CODES_HELP, exitCodeFor, type ExitCode } from './exit-codes.js';
import * as account from './commands/account.js';
import * as chatCommand from './commands/chat.js';
import * as files from './commands/files.js';
import * as friendCommands from './commands/friends.js';
import * as groupCommands from './commands/groups.js';
import * as messages from './commands/messages.js';
import * as verifyInstance from './commands/verify-instance.js';

type Json = { json?: boolean };

export interface Handlers {
  signup(context: Context, link: string): Promise<void>;
  login(context: Context, options: Json): Promise<void>;
  passphrase(context: Context, options: { newPassphraseFd?: number; newPassphraseEnv?: string }): Promise<void>;
  sessions(context: Context, options: Json): Promise<void>;
  deleteAccount(context: Context, options: { confirm?: string }): Promise<void>;
  sessionsEnd(context: Context, id: string | undefined, options: { others?: boolean }): Promise<void>;
  friends(context: Context, options: Json): Promise<void>;
  groups(context: Context, options: Json): Promise<void>;
  request(context: Context, user: string): Promise<void>;
  accept(context: Context, user: string): Promise<void>;
  decline(context: Context, user: string): Promise<void>;
  cancel(context: Context, user: string): Promise<void>;
  block(context: Context, user: string): Promise<void>;
  unblock(context: Context, user: string): Promise<void>;
  add(context: Context, link: string): Promise<void>;
  safety(context: Context, friend: string, options: Json): Promise<void>;
  verify(context: Context, friend: string, options: { acceptNewKey?: boolean }): Promise<void>;
  send(context: Context, friend: string, text: string): Promise<void>;
  read(context: Context, friend: string, options: Json & { limit?: number }): Promise<void>;
  watch(context: Context, options: Json): Promise<void>;
  sendFile(context: Context, friend: string, file: string): Promise<void>;
  getFile(context: Context, friend: string, which: string, options: { to?: string }): Promise<void>;
  chat(context: Context, options: chatCommand.ChatOptions): Promise<void>;
  verifyInstance(
    context: Context,
    onion: string | undefined,
    options: verifyInstance.VerifyInstanceOptions,
  ): Promise<void>;
}

export const COMMANDS: Handlers = {
  signup: account.signup,
  login: account.login,
  passphrase: account.passphrase,
  sessions: account.sessions,
  deleteAccount: account.deleteAccount,
  sessionsEnd: account.sessionsEnd,
  friends: friendCommands.friends,
  groups: groupCommands.groups,
  request: friendCommands.request,
  accept: friendCommands.accept,
  decline: friendCommands.decline,
  cancel: friendCommands.cancel,
  block: friendCommands.block,
  unblock: friendCommands.unblock,
  add: friendCommands.add,
  safety: friendCommands.safety,
  verify: friendCommands.verify,
  send: messages.send,
  read: messages.read,
  watch: messages.watch,
  sendFile: files.sendFile,
  getFile: files.getFile,
  chat: chatCommand.chat,
  verifyInstance: verifyInstance.verifyInstanceCommand,
};

const INTRO = [
  'OnionChat in a terminal: end-to-end-encrypted chat with one onion service, through tor.',
  '',
  'Run `onionchat chat` for the full-screen chat (type /help in it). ' +
    'Every command logs in (the passphrase is typed without echo, or given to scripts with ' +
    '--passphrase-fd or --passphrase-env), does its work and ends its session again. ' +
    'Nothing is written to disk but the files you fetch.',
].join('\n');

const BOT_EXAMPLES = `
Examples:
  export ONIONCHAT_ORIGIN=http://<56 letters>.onion ONIONCHAT_USER=alice
  onionchat friends
  onionchat send bob 'hello'
  onionchat send 'Book club' 'hello all'      # a group, by its name (or its id)
  OC_PASS=… onionchat --passphrase-env OC_PASS watch --json
  onionchat --passphrase-fd 3 read bob --json --limit 50 3<passphrase.txt`;

export function buildProgram(io: Io, handlers: Handlers = COMMANDS): Command {
  const program = new Command('onionchat');
  program
    .description(INTRO)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .addOption(new Option('--onion <origin>', 'the service: http://<56 letters>.onion').env('ONIONCHAT_ORIGIN'))
    .addOption(new Option('--socks <url>', "tor's SOCKS proxy (default socks5h://127.0.0.1:9050)"))
    .addOption(new Option('--tor-browser', "use Tor Browser's tor (socks5h://127.0.0.1:9150)"))
    .addOption(new Option('--allow-any-origin', 'allow a service that is neither an onion nor this machine'))
    .addOption(new Option('--user <name>', 'your username (else asked)').env('ONIONCHAT_USER'))
    .addOption(
      new Option('--passphrase-fd <n>', 'scripts: read the passphrase from this file descriptor').argParser(descriptor),
    )
    .addOption(new Option('--passphrase-env <var>', 'scripts: read the passphrase from this environment variable'))
    .addHelpText('afterAll', `\n${EXIT_CODES_HELP}`)
    .addHelpText('after', BOT_EXAMPLES);

  const context = (): Context => ({ options: program.opts<GlobalOptions>(), io });
  const json = new Option('--json', 'one JSON object per line');

  program
    .command('chat')
    .description('the full-screen chat: conversations, live messages, files, friends (type /help in it)')
    .option('--downloads <dir>', 'where fetched files are saved (default: here; /save N FOLDER picks another)')
    .action((options: chatCommand.ChatOptions) => handlers.chat(context(), options));
  program
    .command('signup')
    .description('create an account with an invite link (the link says which service)')
    .argument('<invite-link>')
    .action((link: string) => handlers.signup(context(), link));
  program
    .command('login')
    .description('check your username and passphrase; say who you are and the session')
    .addOption(json)
    .action((options: Json) => handlers.login(context(), options));
  program
    .command('passphrase')
    .description('change your passphrase (the new one is asked twice)')
    .addOption(
      new Option('--new-passphrase-fd <n>', 'scripts: the new passphrase from this descriptor').argParser(descriptor),
    )
    .addOption(new Option('--new-passphrase-env <var>', 'scripts: the new passphrase from this variable'))
    .action((options: { newPassphraseFd?: number; newPassphraseEnv?: string }) =>
      handlers.passphrase(context(), options),
    );

  const sessions = program
    .command('sessions')
    .description('list your open sessions (see also: sessions end)')
    .addOption(json)
    .action((options: Json) => handlers.sessions(context(), options));
  sessions
    .command('end')
    .description('end one session by its id, or every other one')
    .argument('[id]')
    .option('--others', 'end every session but this command’s own')
    .action((id: string | undefined, options: { others?: boolean }) => handlers.sessionsEnd(context(), id, options));
  program
    .command('delete-account')
    .description('delete your account for good: keys, messages, files and one-to-one conversations')
    .addOption(new Option('--confirm <username>', 'scripts: your username, to confirm without a prompt'))
    .action((options: { confirm?: string }) => handlers.deleteAccount(context(), options));

  program
    .command('friends')
    .description('list friends (and how far their keys are trusted), requests and blocked users')
    .addOption(json)
    .action((options: Json) => handlers.friends(context(), options));
  program
    .command('groups')
    .description('list the groups you are in, with their members as verified from the signed records')
    .addOption(json)
    .action((options: Json) => handlers.groups(context(), options));
  const userCommand = (name: string, description: string, run: (context: Context, user: string) => Promise<void>) =>
    program
      .command(name)
      .description(description)
      .argument('<user>')
      .action((user: string) => run(context(), user));
  userCommand('request', 'ask someone to be your friend', handlers.request);
  userCommand('accept', 'accept their friend request', handlers.accept);
  userCommand('decline', 'decline their friend request', handlers.decline);
  userCommand('cancel', 'withdraw your friend request to them', handlers.cancel);
  userCommand('block', 'block someone', handlers.block);
  userCommand('unblock', 'unblock someone', handlers.unblock);
  program
    .command('add')
    .description('add someone by their contact link (verified when their keys match it)')
    .argument('<contact-link>')
    .action((link: string) => handlers.add(context(), link));
  program
    .command('safety')
    .description('show the safety number to compare with a friend')
    .argument('<friend>')
    .addOption(json)
    .action((friend: string, options: Json) => handlers.safety(context(), friend, options));
  program
    .command('verify')
    .description('mark a friend verified once the safety numbers match (saved to your account)')
    .argument('<friend>')
    .option('--accept-new-key', 'the friend’s key changed and you compared the new safety number')
    .action((friend: string, options: { acceptNewKey?: boolean }) => handlers.verify(context(), friend, options));

  const conversation = 'a friend’s username, or a group’s name or id (onionchat groups)';
  program
    .command('send')
    .description('send a text message to a friend or a group ("-": read it from stdin)')
    .argument('<friend-or-group>', conversation)
    .argument('<text>')
    .action((friend: string, text: string) => handlers.send(context(), friend, text));
  program
    .command('read')
    .description('print the latest messages of a conversation (a group’s membership changes too), oldest first')
    .argument('<friend-or-group>', conversation)
    .addOption(json)
    .addOption(new Option('--limit <n>', 'how many messages (default 20)').argParser(positive))
    .action((friend: string, options: Json & { limit?: number }) => handlers.read(context(), friend, options));
  program
    .command('watch')
    .description('print every message that comes in (from friends and groups), until Ctrl-C (SIGINT) or SIGTERM')
    .addOption(json)
    .action((options: Json) => handlers.watch(context(), options));
  program
    .command('send-file')
    .description('encrypt and send a file to a friend or a group (progress on stderr)')
    .argument('<friend-or-group>', conversation)
    .argument('<path>')
    .action((friend: string, file: string) => handlers.sendFile(context(), friend, file));
  program
    .command('get-file')
    .description('fetch a file by its id or name, check it and save it')
    .argument('<friend-or-group>', conversation)
    .argument('<file-id-or-name>')
    .option('--to <dir>', 'where to save it (default: here)')
    .action((friend: string, which: string, options: { to?: string }) =>
      handlers.getFile(context(), friend, which, options),
    );
  program
    .command('verify-instance')
    .description('check that the service serves, byte for byte, the web client built here from the same sources')
    .argument('[onion]', 'the service (default: --onion)')
    .option('--web-dir <dir>', 'the local build to compare with (default: web/out of this checkout)')
    .action((onion: string | undefined, options: verifyInstance.VerifyInstanceOptions) =>
      handlers.verifyInstance(context(), onion, options),
    );
  return program;
}

function descriptor(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a file descriptor number (like 3)');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
}

/** Runs the command line (`argv`: the arguments after the program name) and returns the exit status. */
export async function runCli(argv: readonly string[], io: Io, handlers: Handlers = COMMANDS): Promise<ExitCode> {
  const program = buildProgram(io, handlers);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error);
    say(io.stderr, describeError(error));
    return exitCodeFor(error);
  }
}

/** Help and version end well; everything else commander refuses is a usage error. */
function commanderExit(error: CommanderError): ExitCode {
  if (error.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}
