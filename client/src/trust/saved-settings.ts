// The account's settings (read receipts, notifications, muted conversations, the language
// picked), kept in the sealed key bundle beside the pins: they come back at the next
// log-in, in any browser, and nothing of them is left in the browser or readable by the
// server (PROTOCOL.md §6). A change is saved a moment later, so a few clicks are one write.
// One instance per unlocked bundle (`settingsFor`): a chat session that starts while the
// last one's change is still being saved (the account page and back) sees that change.

import {
  DEFAULT_SETTINGS,
  SETTINGS_EXTENSION,
  decodeSettings,
  encodeSettings,
  type AccountSettings,
} from '@onionchat/protocol';
import { BundleSaver } from './bundle-saver.js';
import type { ExtensionVault } from './chain-marks.js';

/** What the settings need of the key bundle; `locked` once logged out (nothing more to save). */
export type SettingsVault = ExtensionVault & { readonly locked?: boolean };

const shared = new WeakMap<SettingsVault, SavedSettings>();

/** The settings of the account whose bundle `vault` is (one instance per bundle). */
export function settingsFor(vault: SettingsVault | null): SavedSettings {
  if (!vault) return new SavedSettings(null);
  let settings = shared.get(vault);
  if (!settings) shared.set(vault, (settings = new SavedSettings(vault)));
  return settings;
}

/** Saves wait this long after a change: toggling a few settings is one bundle write. */
export const SETTINGS_SAVE_DELAY_MS = 1_000;
const SAVE_RETRY_MS = 30_000;

export class SavedSettings {
  private settings: AccountSettings;
  /** Stored settings this client cannot read (a newer client's): never overwritten. */
  private unreadable: boolean;
  private readonly saver = new BundleSaver({
    save: () => this.save(),
    // Not saved this time (offline): try again later, unless the stored settings are a
    // newer client's, or the account logged out meanwhile.
    retryIn: () => (this.unreadable || this.vault?.locked ? null : SAVE_RETRY_MS),
  });

  constructor(private vault: SettingsVault | null) {
    const { settings, unreadable } = readStored(vault?.extension(SETTINGS_EXTENSION) ?? null);
    this.settings = settings;
    this.unreadable = unreadable;
  }

  /** The bundle was re-sealed under a new passphrase in this session: saves go to it from now on. */
  useVault(vault: SettingsVault): void {
    this.vault = vault;
    shared.set(vault, this);
  }

  get current(): AccountSettings {
    return this.settings;
  }

  /** Changes some settings now and saves them shortly (not stopped with a session: see settingsFor). */
  update(patch: Partial<AccountSettings>): void {
    const next = { ...this.settings, ...patch };
    // The bundle keeps them sorted; so does the comparison below.
    if (patch.muted) next.muted = [...new Set(patch.muted)].sort();
    if (sameSettings(next, this.settings)) return;
    this.settings = next;
    if (this.vault && !this.unreadable) this.saver.schedule(SETTINGS_SAVE_DELAY_MS);
  }

  /** Saves now what is waiting (log-out). */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  private async save(): Promise<void> {
    if (!this.vault || this.unreadable) return;
    // The latest choice wins over what another session saved meanwhile: settings are the
    // person's, and the one they just made is the one they mean.
    await this.vault.saveExtension(SETTINGS_EXTENSION, (stored) => {
      if (readStored(stored).unreadable) {
        this.unreadable = true;
        throw new Error('the stored settings could not be read');
      }
      return encodeSettings(this.settings);
    });
  }
}

function readStored(value: Uint8Array | null): { settings: AccountSettings; unreadable: boolean } {
  if (value === null) return { settings: DEFAULT_SETTINGS, unreadable: false };
  try {
    return { settings: decodeSettings(value), unreadable: false };
  } catch {
    return { settings: DEFAULT_SETTINGS, unreadable: true };
  }
}

function sameSettings(a: AccountSettings, b: AccountSettings): boolean {
  return (
    a.readReceipts === b.readReceipts &&
    a.sound === b.sound &&
    a.systemNotifications === b.systemNotifications &&
    a.previews === b.previews &&
    a.language === b.language &&
    a.muted.length === b.muted.length &&
    a.muted.every((id, index) => id === b.muted[index])
  );
}
