// A problem with an account action, to show the person, optionally tied to the form
// field that caused it.

export type FormField =
  'username' | 'passphrase' | 'passphrase-confirm' | 'current-passphrase' | 'new-passphrase' | 'new-passphrase-confirm';

export class AccountError extends Error {
  readonly field: FormField | null;

  constructor(message: string, field: FormField | null = null) {
    super(message);
    this.name = 'AccountError';
    this.field = field;
  }
}

export const WRONG_CREDENTIALS_MESSAGE = 'Wrong username or passphrase';
