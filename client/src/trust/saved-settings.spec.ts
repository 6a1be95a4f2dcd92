import { DEFAULT_SETTINGS, decodeSettings, encodeSettings, newUuid, type AccountSettings } from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extensionVault } from '../test-support/extension-vault.js';
import { SETTINGS_SAVE_DELAY_MS, SavedSettings, settingsFor } from './saved-settings.js';

const vault = extensionVault;

const quiet: AccountSettings = {
  readReceipts: false,
  sound: false,
  systemNotifications: false,
  previews: false,
  language: 'fa',
  muted: [newUuid()].sort(),
};

describe('SavedSettings', () => {
  afterEach(() => vi.useRealTimers());

  it('starts from the defaults for an account that saved none, and from what was saved otherwise', () => {
    expect(new SavedSettings(vault()).current).toEqual(DEFAULT_SETTINGS);
    expect(new SavedSettings(null).current).toEqual(DEFAULT_SETTINGS);
    expect(new SavedSettings(vault(encodeSettings(quiet))).current).toEqual(quiet);
  });

  it('applies a change at once and saves a moment later, once for a few changes; the latest choice wins', async () => {
    vi.useFakeTimers();
    const store = vault();
    const settings = new SavedSettings(store);
    settings.update({ readReceipts: false });
    settings.update({ language: 'ar', sound: false });
    expect([settings.current.readReceipts, settings.current.language]).toEqual([false, 'ar']);
    // Another session saved other settings meanwhile: this person's latest choice is kept whole.
    store.concurrent = encodeSettings({ ...DEFAULT_SETTINGS, previews: true });
    await vi.advanceTimersByTimeAsync(SETTINGS_SAVE_DELAY_MS - 1);
    expect(store.saves).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.saves).toBe(1);
    expect(decodeSettings(store.stored!)).toEqual({
      ...DEFAULT_SETTINGS,
      readReceipts: false,
      sound: false,
      language: 'ar',
    });
    // The same again changes nothing and saves nothing.
    settings.update({ language: 'ar' });
    await vi.advanceTimersByTimeAsync(SETTINGS_SAVE_DELAY_MS);
    expect(store.saves).toBe(1);
  });

  it('saves at once on flush (log-out), into the vault handed over after a passphrase change', async () => {
    const before = vault();
    const after = vault();
    const settings = new SavedSettings(before);
    settings.update({ previews: true });
    settings.useVault(after);
    await settings.flush();
    expect(before.saves).toBe(0);
    expect(decodeSettings(after.stored!).previews).toBe(true);
  });

  it('never overwrites settings it cannot read (a newer client’s), and keeps the defaults for itself', async () => {
    const unreadable = Uint8Array.of(9, 0, 0, 0, 0);
    const store = vault(unreadable);
    const settings = new SavedSettings(store);
    expect(settings.current).toEqual(DEFAULT_SETTINGS);
    settings.update({ readReceipts: false });
    expect(settings.current.readReceipts).toBe(false);
    await settings.flush();
    expect(store.saves).toBe(0);
    expect(store.stored).toEqual(unreadable);
  });
});

describe('settingsFor', () => {
  it('gives every session of one unlocked bundle the same settings, so a change not yet saved is not lost', () => {
    const store = vault();
    const first = settingsFor(store);
    first.update({ readReceipts: false });
    expect(store.saves).toBe(0);
    // The next chat session (the account page and back) starts before the save.
    expect(settingsFor(store).current.readReceipts).toBe(false);
    expect(settingsFor(vault()).current.readReceipts).toBe(true);
  });

  it('stops trying to save once the account logged out', async () => {
    vi.useFakeTimers();
    const store = { ...vault(), locked: false };
    let attempts = 0;
    store.saveExtension = async () => {
      attempts += 1;
      throw new Error('the keys are locked');
    };
    const settings = settingsFor(store);
    settings.update({ sound: false });
    store.locked = true;
    await vi.advanceTimersByTimeAsync(SETTINGS_SAVE_DELAY_MS);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(attempts).toBe(1);
  });
});
