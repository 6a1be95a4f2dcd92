// Which optional modules this tor was built with (`tor --list-modules`). The one that
// matters here is `pow`: the proof-of-work defence that prices introductions when an
// onion service is flooded. Tor before 0.4.8, and builds without it, lack it, and such
// a tor refuses a torrc that turns it on.
//
// Without it OnionChat warns and publishes anyway (without the PoW lines) rather than
// refusing: PoW only acts while introductions pile up, the service's other defences
// (intro-point rate limits, per-circuit budgets, stream limits) still work, and an
// operator who cannot upgrade tor is better served by a running service and a plain
// warning than by none. The warning names the fix.
import { runCommand } from './run-command.js';

export type TorModules = Readonly<Record<string, boolean>>;

/** Parses lines such as "pow: yes"; anything else is ignored. */
export function parseTorModules(output: string): TorModules {
  const modules: Record<string, boolean> = {};
  for (const line of output.split('\n')) {
    const match = /^\s*([a-z0-9_-]+):\s*(yes|no)\s*$/i.exec(line);
    if (match) modules[(match[1] as string).toLowerCase()] = (match[2] as string).toLowerCase() === 'yes';
  }
  return modules;
}

export async function listTorModules(torBinary: string): Promise<TorModules> {
  return parseTorModules(await runCommand(torBinary, ['--list-modules']));
}

/** Printed at start-up when the PoW defence is missing. */
export const POW_MISSING_WARNING =
  'WARNING: this tor has no proof-of-work module (`tor --list-modules` does not say "pow: yes"), so the onion ' +
  'service is published WITHOUT its PoW defence against introduction floods. Install tor 0.4.8 or newer built ' +
  'with it (Debian\'s "tor" package is) to turn it on.';

/** Lines of the production torrc that need the pow module. */
const POW_LINE = /^\s*HiddenServicePoW/;

/** The torrc without its PoW options, for a tor that would refuse them. */
export function withoutPowDefense(torrc: string): string {
  return torrc
    .split('\n')
    .filter((line) => !POW_LINE.test(line))
    .join('\n');
}

/** Whether the torrc turns the PoW defence on. */
export function hasPowDefense(torrc: string): boolean {
  return torrc.split('\n').some((line) => /^\s*HiddenServicePoWDefensesEnabled\s+1\s*$/.test(line));
}
