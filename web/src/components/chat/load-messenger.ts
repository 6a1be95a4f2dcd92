// The messenger's chunk (./Messenger.tsx) and its words (i18n/messenger-strings.ts), fetched
// side by side. One import site, so the chat page and the forms that warm it up (log-in
// and sign-up ask for it while the keys are being derived, so the chat opens without
// another round trip) fetch the same chunks.

export async function loadMessenger() {
  const [module] = await Promise.all([
    import('./Messenger'),
    import('../../i18n/messenger-strings').then((strings) => strings.messengerStrings()),
  ]);
  return { default: module.Messenger };
}

/** Fetches the messenger ahead of need; a failure is met again (and shown) when it is needed. */
export function warmMessenger(): void {
  loadMessenger().catch(() => {});
}
