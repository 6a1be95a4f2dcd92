// Account: sign-up, log-in, unlock, passphrase change, sessions and invites.

export {
  AccountError,
  AccountFlows,
  WRONG_CREDENTIALS_MESSAGE,
  afterLoginPath,
  afterSignupPath,
  canonicalUsername,
  identityFingerprint,
  inviteLink,
  parseInviteToken,
  parseInviter,
  readInviter,
  tamperedMessage,
  unsafeKdfMessage,
  wipeIdentity,
  type FormField,
  type ProgressFn,
  type Unlocked,
} from './account.js';
export { linkForSharing, type SharedLink } from './links.js';
export { compareSafetyScan, type SafetyScan } from './links-scan.js';
export {
  deleteAccount,
  type DeleteAccountInput,
  type GroupLeaver,
  wrongDeletePassphraseMessage,
} from './delete-account.js';
