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
