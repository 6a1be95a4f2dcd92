// Reading what the server answers about files: nothing is trusted before it is checked.

import type { ServerFile } from '../api';

export function isServerFile(value: unknown): value is ServerFile {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.id === 'string' &&
    typeof f.size === 'number' &&
    typeof f.received === 'number' &&
    Number.isSafeInteger(f.received) &&
    f.received >= 0 &&
    typeof f.status === 'string'
  );
}

export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
