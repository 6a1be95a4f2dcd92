// What a browser test typed or sent that the server must never hold in the clear:
// passphrases, message texts, file names and file bytes, session tokens. The steps in
// this folder record them as they go; stopping the test server scans for all of them.
// Each test file runs in its own process, so the ledger is per file.

export interface Secret {
  what: string;
  bytes: Buffer;
}

const ledger = new Map<string, Secret>();

/** Records a text the server must never store or log in the clear. */
export function rememberText(what: string, text: string): void {
  if (text.length < 6) return; // too short to search for without false hits
  ledger.set(`${what}:${text}`, { what: `${what} "${text.slice(0, 40)}"`, bytes: Buffer.from(text) });
}

/** Records samples of a file's bytes: the start, the middle and the end. */
export function rememberFileBytes(name: string, bytes: Buffer): void {
  const SAMPLE = 32;
  if (bytes.length < SAMPLE) return;
  for (const at of [0, Math.floor((bytes.length - SAMPLE) / 2), bytes.length - SAMPLE]) {
    ledger.set(`file:${name}:${at}`, {
      what: `bytes ${at}..${at + SAMPLE} of file "${name}"`,
      bytes: bytes.subarray(at, at + SAMPLE),
    });
  }
}

export function rememberedSecrets(): Secret[] {
  return [...ledger.values()];
}
