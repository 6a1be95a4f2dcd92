// How long a browser test waits for the page to show something. The first browser test
// of a run on a freshly set-up machine (cold caches, other work on the host) has been
// seen stalling for close to 30 s where a warm run takes 2 s, so waits are generous;
// they cost time only when something is really wrong.
export const WAIT_MS = 60_000;
