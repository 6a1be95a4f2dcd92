// A key bundle's extensions for the writers' unit tests (chain marks, settings):
// `concurrent` is what another session saves just before each of ours.
import type { ExtensionVault } from '../trust/chain-marks.js';

export function extensionVault(initial: Uint8Array | null = null) {
  let stored = initial;
  const state = {
    saves: 0,
    concurrent: null as Uint8Array | null,
    get stored() {
      return stored;
    },
    extension: () => stored?.slice() ?? null,
    saveExtension: async (_type: number, build: (stored: Uint8Array | null) => Uint8Array) => {
      if (state.concurrent) stored = state.concurrent;
      stored = build(stored);
      state.saves += 1;
    },
  };
  return state satisfies ExtensionVault;
}
