import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { code } from '../test-support/error-code.js';
import { concatBytes, fromHex, toHex } from './bytes.js';
import {
  DEFAULT_SETTINGS,
  SETTINGS_EXTENSION,
  SETTINGS_MUTED_MAX,
  SETTINGS_VERSION,
  decodeSettings,
  encodeSettings,
  type AccountSettings,
} from './settings.js';
import { newUuid } from './uuid.js';

function settings(overrides: Partial<AccountSettings> = {}): AccountSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

/** `count` distinct canonical ids, in no particular order. */
function rooms(count: number): string[] {
  return Array.from({ length: count }, () => newUuid());
}

describe('settings encoding', () => {
  it('writes the defaults as version, flags 0b0111, no language and no muted rooms', () => {
    expect(SETTINGS_EXTENSION).toBe(5);
    expect(SETTINGS_VERSION).toBe(1);
    expect(DEFAULT_SETTINGS).toEqual({
      readReceipts: true,
      sound: true,
      systemNotifications: true,
      previews: false,
      language: null,
      muted: [],
    });
    expect(toHex(encodeSettings(DEFAULT_SETTINGS))).toBe('0107000000');
    expect(decodeSettings(encodeSettings(DEFAULT_SETTINGS))).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips each flag on its own bit', () => {
    const flags = ['readReceipts', 'sound', 'systemNotifications', 'previews'] as const;
    flags.forEach((flag, bit) => {
      const only = settings({ readReceipts: false, sound: false, systemNotifications: false, [flag]: true });
      const bytes = encodeSettings(only);
      expect(bytes[1]).toBe(1 << bit);
      expect(decodeSettings(bytes)).toEqual(only);
    });
  });

  it('round-trips languages up to 8 bytes and the full list of muted rooms, sorted', () => {
    for (const language of ['fa', 'ckb', 'zh-Hans', 'yue-Hant', 'pt-BR', 'es-419']) {
      expect(decodeSettings(encodeSettings(settings({ language })))).toEqual(settings({ language }));
    }
    const muted = rooms(SETTINGS_MUTED_MAX);
    const bytes = encodeSettings(settings({ muted }));
    expect(bytes).toHaveLength(1 + 1 + 1 + 2 + SETTINGS_MUTED_MAX * 16);
    expect(decodeSettings(bytes).muted).toEqual([...muted].sort());
  });

  it('sorts the muted rooms and drops repeats, so one set of settings has one encoding', () => {
    const [a, b, c] = rooms(3).sort() as [string, string, string];
    const written = encodeSettings(settings({ muted: [c, a, b, a, c] }));
    expect(written).toEqual(encodeSettings(settings({ muted: [a, b, c] })));
    expect(decodeSettings(written).muted).toEqual([a, b, c]);
    // Repeats do not count towards the limit.
    const full = rooms(SETTINGS_MUTED_MAX);
    expect(decodeSettings(encodeSettings(settings({ muted: [...full, ...full] }))).muted).toHaveLength(
      SETTINGS_MUTED_MAX,
    );
  });

  it('refuses to write what readers reject', () => {
    expect(code(() => encodeSettings(settings({ muted: rooms(SETTINGS_MUTED_MAX + 1) })))).toBe('too-large');
    for (const language of ['', 'f', 'FA', 'fa-', 'fa_IR', 'fa-IRAN1', 'yue-Hants', 'fä']) {
      expect(code(() => encodeSettings(settings({ language })))).toBe('bad-encoding');
    }
    const room = newUuid();
    for (const id of [room.toUpperCase(), room.replaceAll('-', ''), `{${room}}`, 'room']) {
      expect(code(() => encodeSettings(settings({ muted: [id] })))).toBe('bad-encoding');
    }
    const notBoolean = { ...DEFAULT_SETTINGS, sound: 1 } as unknown as AccountSettings;
    expect(code(() => encodeSettings(notBoolean))).toBe('bad-encoding');
  });

  it('must reject: another version, an early end, bytes left over, too many rooms, reserved bits, a bad language, rooms out of order', () => {
    const one = encodeSettings(settings({ muted: rooms(1) }));
    expect(code(() => decodeSettings(new Uint8Array(0)))).toBe('bad-length');
    expect(code(() => decodeSettings(Uint8Array.of(2, 7, 0, 0, 0)))).toBe('bad-version');
    for (let end = 1; end < one.length; end++) {
      expect(code(() => decodeSettings(one.subarray(0, end)))).toBe('bad-length');
    }
    expect(code(() => decodeSettings(concatBytes(one, Uint8Array.of(0))))).toBe('bad-length');
    const tooMany = concatBytes(Uint8Array.of(1, 7, 0, 0x01, 0xf5), new Uint8Array((SETTINGS_MUTED_MAX + 1) * 16));
    expect(code(() => decodeSettings(tooMany))).toBe('bad-length');
    for (let bit = 4; bit < 8; bit++) {
      expect(code(() => decodeSettings(Uint8Array.of(1, 7 | (1 << bit), 0, 0, 0)))).toBe('bad-encoding');
    }
    expect(code(() => decodeSettings(Uint8Array.of(1, 7, 9, ...new Uint8Array(9).fill(0x61), 0, 0)))).toBe(
      'bad-encoding',
    );
    expect(code(() => decodeSettings(Uint8Array.of(1, 7, 2, 0x46, 0x41, 0, 0)))).toBe('bad-encoding');
    const [low, high] = rooms(2).sort() as [string, string];
    const swapped = encodeSettings(settings({ muted: [low, high] }));
    swapped.set(encodeSettings(settings({ muted: [high] })).subarray(5), 5);
    swapped.set(encodeSettings(settings({ muted: [low] })).subarray(5), 5 + 16);
    expect(code(() => decodeSettings(swapped))).toBe('bad-encoding');
    const twice = encodeSettings(settings({ muted: [low, high] }));
    twice.set(twice.subarray(5, 5 + 16), 5 + 16);
    expect(code(() => decodeSettings(twice))).toBe('bad-encoding');
  });
});

interface Named {
  name: string;
}
interface SettingsVectors {
  valid: (Named & { value: string; settings: AccountSettings; given?: AccountSettings })[];
  invalid: (Named & { value: string; error: string })[];
}
const vectors = (
  JSON.parse(readFileSync(new URL('../testdata/rules.json', import.meta.url), 'utf8')) as {
    settings: SettingsVectors;
  }
).settings;

describe('settings vectors (rules.json)', () => {
  it.each(vectors.valid)('reads and writes $name', (v) => {
    expect(decodeSettings(fromHex(v.value))).toEqual(v.settings);
    expect(toHex(encodeSettings(v.given ?? v.settings))).toBe(v.value);
  });
  it.each(vectors.invalid)('rejects $name with $error', (v) => {
    expect(code(() => decodeSettings(fromHex(v.value)))).toBe(v.error);
  });
});
