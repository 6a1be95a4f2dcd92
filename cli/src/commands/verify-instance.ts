// `onionchat verify-instance <onion>`: does the instance serve the web client this
// machine built from the same sources? Prints the verdict on stdout; exits 5 (trust)
// when anything differs, 4 when the instance or tor cannot be reached.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { say, type Context } from '../context.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { pinOrigin } from '../net/origin-policy.js';
import { agentFor, socksUrl } from '../net/proxy.js';
import { describeReport, verifyInstance } from './verify-instance-core.js';

export interface VerifyInstanceOptions {
  /** The local export to compare with (default: web/out/ of this checkout). */
  webDir?: string;
}

/** web/out/ of the checkout this command runs from (cli/dist/commands/ → the repository root). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/out/', import.meta.url));

export async function verifyInstanceCommand(
  context: Context,
  onion: string | undefined,
  options: VerifyInstanceOptions,
): Promise<void> {
  const address = onion ?? context.options.onion;
  if (!address) throw usageError('Say which instance to check: onionchat verify-instance http://<56 letters>.onion');
  const pinned = pinOrigin(address, context.options.allowAnyOrigin);
  const agent = agentFor(pinned, socksUrl(context.options));
  const webDir = path.resolve(options.webDir ?? DEFAULT_WEB_DIR);
  say(context.io.stderr, `Comparing what ${pinned.origin} serves with the build in ${webDir}…`);
  let shown = 0;
  const report = await verifyInstance({
    origin: pinned.origin,
    agent,
    webDir,
    onProgress: (done, total) => {
      // A line now and then, not one per file: tor can take minutes.
      if (done === total || done - shown >= 50) {
        shown = done;
        say(context.io.stderr, `  ${done} of ${total}`);
      }
    },
  });
  for (const line of describeReport(report, pinned.origin)) say(context.io.stdout, line);
  if (report.differences.length > 0) {
    throw new CliError(
      `${pinned.origin} does not serve this build (${report.differences.length} differences).`,
      EXIT.trust,
    );
  }
}
