// Tor refuses a HiddenServiceDir (and complains about a DataDirectory) that
// other users can read, so every directory we hand to tor is forced to 0700 —
// also when it already existed with looser permissions.
import { chmod, mkdir } from 'node:fs/promises';

export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and parents) if needed and sets its mode to 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // mkdir's mode is filtered by the umask and ignored for existing directories.
  await chmod(dir, PRIVATE_DIR_MODE);
}
