// Account: sign-up, log-in, unlock, passphrase change, sessions and invites.

export {
  AccountError,
  AccountFlows,
  TAMPERED_MESSAGE,
  UNSAFE_KDF_MESSAGE,
  WRONG_CREDENTIALS_MESSAGE,
  afterLoginPath,
  afterSignupPath,
  canonicalUsername,
  identityFingerprint,
  inviteLink,
  parseInviteToken,
  parseInviter,
  readInviter,
  wipeIdentity,
  type FormField,
  type ProgressFn,
  type Unlocked,
} from './account.js';
export { linkForSharing, type SharedLink } from './links.js';
export { compareSafetyScan, type SafetyScan } from './links-scan.js';
export {
  WRONG_DELETE_PASSPHRASE_MESSAGE,
  deleteAccount,
  type DeleteAccountInput,
  type GroupLeaver,
} from './delete-account.js';
