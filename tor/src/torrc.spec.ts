import { describe, expect, it } from 'vitest';
import { onionServiceTorrc } from './onion-torrc.js';
import { renderTorrc, torrcPlaceholders } from './torrc.js';

describe('renderTorrc', () => {
  it('replaces every placeholder, also when repeated', () => {
    const out = renderTorrc('DataDirectory {{dir}}\nHiddenServiceDir {{ dir }}/hs\nSocksPort {{port}}\n', {
      dir: '/var/lib/x',
      port: 9050,
    });
    expect(out).toBe('DataDirectory /var/lib/x\nHiddenServiceDir /var/lib/x/hs\nSocksPort 9050\n');
  });

  it('rejects a placeholder without a value', () => {
    expect(() => renderTorrc('A {{a}}\nB {{b}}\n', { a: 1 })).toThrow(/no value for \{\{b\}\}/);
  });

  it('rejects a value without a placeholder', () => {
    expect(() => renderTorrc('A {{a}}\n', { a: 1, typo: 2 })).toThrow(/unknown placeholder\(s\) typo/);
  });

  it('rejects values that would inject torrc lines', () => {
    expect(() => renderTorrc('A {{a}}\n', { a: '1\nExitRelay 1' })).toThrow(/single line/);
    expect(() => renderTorrc('A {{a}}\n', { a: '' })).toThrow(/non-empty/);
  });

  it('lists placeholders once each', () => {
    expect(torrcPlaceholders('{{a}} {{b}} {{a}}')).toEqual(['a', 'b']);
  });
});

describe('the production torrc template', () => {
  const values = { dataDir: '/d', hiddenServiceDir: '/d/hs', appPort: 3000, owningPid: 42 };

  it('renders the onion service, the DoS defence and no relaying', async () => {
    const torrc = await onionServiceTorrc({ ...values, socksPort: 9050 });
    const lines = torrc.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(lines).toEqual(
      expect.arrayContaining([
        'DataDirectory /d',
        'HiddenServiceDir /d/hs',
        'HiddenServiceVersion 3',
        'HiddenServicePort 80 127.0.0.1:3000',
        'HiddenServiceExportCircuitID haproxy',
        'HiddenServicePoWDefensesEnabled 1',
        'HiddenServiceEnableIntroDoSDefense 1',
        'SocksPort 127.0.0.1:9050',
        'ORPort 0',
        'ExitRelay 0',
        'ClientOnly 1',
        'Log notice stdout',
        'AvoidDiskWrites 1',
        'SafeLogging 1',
        '__OwningControllerProcess 42',
      ]),
    );
    expect(torrc).not.toMatch(/\{\{/);
  });

  it('disables the SOCKS proxy with port 0', async () => {
    expect(await onionServiceTorrc({ ...values, socksPort: 0 })).toMatch(/^SocksPort 0$/m);
  });
});
