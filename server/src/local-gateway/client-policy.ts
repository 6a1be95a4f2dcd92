// The local client's page policies: the shared ones (csp.ts) with worker-src narrowed to
// the build's own script folder. The client starts a dedicated worker from there (file
// encryption), so worker-src 'none' would break it; narrowed to that folder, no script
// from anywhere else (an /api answer above all) can become a worker, nor be registered as
// a service worker that would outlive the gateway and replace the local client.
import { pagePolicies } from '../security/csp.js';

/** Where Next's export puts every script, the file-crypto worker included. */
export const SCRIPT_FOLDER = '/_next/static/';

export function workerSources(origin: string): string {
  return `worker-src ${origin}${SCRIPT_FOLDER} blob:`;
}

export function gatewayPagePolicies(webDir: string, origin: string): Map<string, string> {
  const narrowed = new Map<string, string>();
  for (const [file, policy] of pagePolicies(webDir)) {
    const directives = policy.split('; ').filter((d) => !d.startsWith('worker-src '));
    narrowed.set(file, [...directives, workerSources(origin)].join('; '));
  }
  return narrowed;
}
