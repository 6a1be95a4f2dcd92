// What tor's own log lines say about reaching the Tor network and publishing the onion
// service. The onion address exists as soon as the keys do, so it proves nothing: only
// these lines tell whether anyone can reach the service yet.

export type TorStatusEvent =
  /** `Bootstrapped 45% (requesting_descriptors): Asking for relay descriptors` */
  | { kind: 'bootstrap'; percent: number; tag: string; summary: string }
  /** `Problem bootstrapping. Stuck at 5% (conn): Connecting to a relay. (Network is unreachable; …)` */
  | { kind: 'bootstrap-problem'; percent: number; summary: string; reason: string }
  /** One HSDir stored the service's descriptor: clients can now find the onion. */
  | { kind: 'published' };

/**
 * Tor logs each stored descriptor only at info level, from the "rend" domain
 * (`handle_response_upload_hsdesc(): Uploading hidden service descriptor: finished with
 * status 200`). This torrc line adds exactly those info lines to the notice-level log.
 */
export const PUBLICATION_LOG_TORRC = 'Log [rend]info-info stdout';

const BOOTSTRAPPED = /\bBootstrapped (\d{1,3})% \(([a-z_]+)\): (.+)$/;
const PROBLEM = /\bProblem bootstrapping\. Stuck at (\d{1,3})% \([a-z_]+\): (.+?)\. \(([^;)]+)/;
const UPLOADED = /\bUploading hidden service descriptor: finished with status 200\b/;
const INFO = /^\S+ \d+ [\d:.]+ \[info\] /;

/** The event a line of tor's log reports, if any. */
export function parseTorLine(line: string): TorStatusEvent | undefined {
  const boot = BOOTSTRAPPED.exec(line);
  if (boot) return { kind: 'bootstrap', percent: Number(boot[1]), tag: boot[2]!, summary: boot[3]!.trim() };
  const problem = PROBLEM.exec(line);
  if (problem) {
    return { kind: 'bootstrap-problem', percent: Number(problem[1]), summary: problem[2]!, reason: problem[3]!.trim() };
  }
  if (UPLOADED.test(line)) return { kind: 'published' };
  return undefined;
}

/**
 * Info-level lines are read for the events above and then dropped: they are many, and
 * would push the notices that explain a failure out of the kept tail.
 */
export function isInfoLine(line: string): boolean {
  return INFO.test(line);
}
