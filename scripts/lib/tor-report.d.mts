/** A status event from @onionchat/tor's onStatus (tor/src/tor-status.ts). */
export type TorStatusEvent =
  | { kind: 'bootstrap'; percent: number; tag: string; summary: string }
  | { kind: 'bootstrap-problem'; percent: number; summary: string; reason: string }
  | { kind: 'published' }
  | { kind: string };

export const TOR_TURNED_OFF: string;
export const TOR_NOT_INSTALLED: string;
export const DEFAULT_PUBLISH_WAIT_SECONDS: number;

/** The line saying why there is no onion service, or null when tor should run. */
export function torAbsence(state: { turnedOff: boolean; installed: boolean }): string | null;
export function onionAddressLines(hostname: string, keysDir: string): string[];

export type TorReport = {
  /** The lines to print for one event (often none). */
  update(event: TorStatusEvent): string[];
  /** Once the wait is over: why the onion cannot be reached yet (nothing once published). */
  notYetPublished(): string[];
  isPublished(): boolean;
};

export function createTorReport(options: { hostname: string; localOrigin: string }): TorReport;
export function publishWaitSeconds(value: string | undefined): number;
export function extraTorrcLines(text: string): string[];
