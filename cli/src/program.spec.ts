import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@onionchat/client';
import { CliError, EXIT } from './exit-codes.js';
import type { Command } from 'commander';
import { buildProgram, COMMANDS, runCli, type Handlers } from './program.js';
import { capturedIo } from './test-support/capture.js';

/** Handlers that only record what they were called with. */
function recording(): { handlers: Handlers; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const handlers = Object.fromEntries(
    Object.keys(COMMANDS).map((name) => [
      name,
      (context: { options: unknown }, ...args: unknown[]) => {
        calls.push([name, context.options, ...args]);
        return Promise.resolve();
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

describe('the command line', () => {
  it('passes global options and arguments to the command', async () => {
    const { handlers, calls } = recording();
    const io = capturedIo();
    const code = await runCli(
      ['--onion', 'http://a.onion', '--user', 'alice', '--passphrase-fd', '3', 'read', 'bob', '--json', '--limit', '5'],
      io,
      handlers,
    );
    expect(code).toBe(EXIT.ok);
    expect(calls).toEqual([
      ['read', { onion: 'http://a.onion', user: 'alice', passphraseFd: 3 }, 'bob', { json: true, limit: 5 }],
    ]);
  });

  it('knows sessions, sessions end <id> and sessions end --others', async () => {
    const { handlers, calls } = recording();
    await runCli(['sessions'], capturedIo(), handlers);
    await runCli(['sessions', 'end', 'abc'], capturedIo(), handlers);
    await runCli(['sessions', 'end', '--others'], capturedIo(), handlers);
    expect(calls.map(([name, , ...args]) => [name, ...args])).toEqual([
      ['sessions', {}],
      ['sessionsEnd', 'abc', {}],
      ['sessionsEnd', undefined, { others: true }],
    ]);
  });

  it('knows delete-account, with --confirm for scripts', async () => {
    const { handlers, calls } = recording();
    await runCli(['--user', 'alice', 'delete-account', '--confirm', 'alice'], capturedIo(), handlers);
    await runCli(['delete-account'], capturedIo(), handlers);
    expect(calls).toEqual([
      ['deleteAccount', { user: 'alice' }, { confirm: 'alice' }],
      ['deleteAccount', {}, {}],
    ]);
  });

  it('maps the dashed commands and their options', async () => {
    const { handlers, calls } = recording();
    await runCli(['--tor-browser', 'get-file', 'bob', 'x.pdf', '--to', '/tmp'], capturedIo(), handlers);
    await runCli(['send-file', 'bob', './a.bin'], capturedIo(), handlers);
    await runCli(['verify', 'bob', '--accept-new-key'], capturedIo(), handlers);
    await runCli(['chat', '--downloads', '/tmp/in'], capturedIo(), handlers);
    expect(calls).toEqual([
      ['getFile', { torBrowser: true }, 'bob', 'x.pdf', { to: '/tmp' }],
      ['sendFile', {}, 'bob', './a.bin'],
      ['verify', {}, 'bob', { acceptNewKey: true }],
      ['chat', {}, { downloads: '/tmp/in' }],
    ]);
  });

  it('lists groups, and takes a group’s name of several words where a friend goes', async () => {
    const { handlers, calls } = recording();
    await runCli(['groups', '--json'], capturedIo(), handlers);
    await runCli(['send', 'Book club', 'hello all'], capturedIo(), handlers);
    await runCli(['read', 'Book club', '--limit', '3'], capturedIo(), handlers);
    expect(calls).toEqual([
      ['groups', {}, { json: true }],
      ['send', {}, 'Book club', 'hello all'],
      ['read', {}, 'Book club', { limit: 3 }],
    ]);
    const io = capturedIo();
    await runCli(['send', '--help'], io, handlers);
    expect(io.out()).toContain('a friend’s username, or a group’s name or id');
  });

  it('reads the origin and the user from the environment', async () => {
    const { handlers, calls } = recording();
    vi.stubEnv('ONIONCHAT_ORIGIN', 'http://b.onion');
    vi.stubEnv('ONIONCHAT_USER', 'carol');
    try {
      await runCli(['friends'], capturedIo(), handlers);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(calls[0]?.[1]).toEqual({ onion: 'http://b.onion', user: 'carol' });
  });

  it('exits 2 on wrong usage, with a hint on stderr', async () => {
    const { handlers, calls } = recording();
    for (const argv of [
      ['bogus'],
      ['send', 'bob'],
      ['read', 'bob', '--limit', '0'],
      ['--passphrase-fd', 'x', 'login'],
    ]) {
      const io = capturedIo();
      expect(await runCli(argv, io, handlers)).toBe(EXIT.usage);
      expect(io.err()).toMatch(/error/);
    }
    expect(calls).toEqual([]);
  });

  it('prints help with the exit codes for the program and every command, and exits 0', async () => {
    const paths = commandPaths(buildProgram(capturedIo()));
    expect(paths.length).toBeGreaterThanOrEqual(Object.keys(COMMANDS).length);
    for (const path of [[], ...paths]) {
      const { handlers, calls } = recording();
      const io = capturedIo();
      expect(await runCli([...path, '--help'], io, handlers)).toBe(EXIT.ok);
      expect(io.out()).toContain(`Usage: onionchat ${path.join(' ')}`.trim());
      expect(io.out()).toContain('Exit codes:');
      expect(io.out()).toContain('3  log-in refused');
      expect(calls).toEqual([]);
    }
  });

  it('describes every command in the overview', async () => {
    const io = capturedIo();
    await runCli(['--help'], io, recording().handlers);
    for (const name of [
      'chat',
      'signup',
      'login',
      'send',
      'read',
      'watch',
      'send-file',
      'get-file',
      'safety',
      'groups',
    ]) {
      expect(io.out()).toMatch(new RegExp(`^  ${name}\\b.*\\S`, 'm'));
    }
  });

  it('turns a failure into its sentence on stderr and its exit code, never a stack trace', async () => {
    const failing = (error: Error): Handlers => ({ ...recording().handlers, login: () => Promise.reject(error) });
    const cases: [Error, number][] = [
      [new ApiError(0, 'network', "Can't reach the server."), EXIT.unreachable],
      [new CliError('Wrong username or passphrase', EXIT.loginRefused), EXIT.loginRefused],
      [new Error('Something broke.'), EXIT.failure],
    ];
    for (const [error, code] of cases) {
      const io = capturedIo();
      expect(await runCli(['login'], io, failing(error))).toBe(code);
      expect(io.err()).toBe(`${error.message}\n`);
    }
  });
});

/** Every command and subcommand, as the words that name it. */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}
