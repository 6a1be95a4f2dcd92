// vi.waitFor gives up after 1 s by default, as expect.poll does (raised in
// vitest.config.ts). On a busy two-core machine a client-core test that waits for a
// view to settle can need longer; a real failure still fails, only later.
import { vi } from 'vitest';

const WAIT_FOR_TIMEOUT_MS = 10_000;
const original = vi.waitFor.bind(vi);

vi.waitFor = ((callback, options) =>
  original(
    callback,
    typeof options === 'number' ? options : { ...options, timeout: options?.timeout ?? WAIT_FOR_TIMEOUT_MS },
  )) as typeof vi.waitFor;
