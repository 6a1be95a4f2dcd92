import { describe, expect, it } from 'vitest';
import { mkdtempSync, openSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CliError } from './exit-codes.js';
import { askNewPassphrase, askPassphrase, fromAutomation } from './passphrase.js';
import { capturedIo } from './test-support/capture.js';

describe('passphrase sources', () => {
  it('reads none unless asked to', () => {
    expect(fromAutomation({}, { env: { OC_PASS: 'x' } })).toBeNull();
  });

  it('reads an environment variable when named', () => {
    expect(fromAutomation({ env: 'OC_PASS' }, { env: { OC_PASS: 'long enough words here' } })).toBe(
      'long enough words here',
    );
    expect(() => fromAutomation({ env: 'MISSING' }, { env: {} })).toThrow(/MISSING is not set/);
  });

  it('reads the first line of a file descriptor', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-fd-'));
    const file = path.join(dir, 'pass');
    writeFileSync(file, 'first line passphrase\nsecond\n');
    const fd = openSync(file, 'r');
    try {
      expect(fromAutomation({ fd }, { env: {} })).toBe('first line passphrase');
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses both at once, and a missing terminal with a hint for scripts', async () => {
    expect(() => fromAutomation({ fd: 3, env: 'X' }, { env: {} })).toThrow(/not both/);
    await expect(askPassphrase({}, 'Passphrase: ', capturedIo())).rejects.toThrow(
      /--passphrase-fd N or --passphrase-env/,
    );
  });

  it('checks a new passphrase with the protocol rules', async () => {
    const io = capturedIo({ P: 'short' });
    const error = await askNewPassphrase({ env: 'P' }, 'alice', io).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(await askNewPassphrase({ env: 'P' }, 'alice', capturedIo({ P: 'violet kettle drums at midnight' }))).toBe(
      'violet kettle drums at midnight',
    );
  });
});
