// The account area's sentences are said by key, with their values, so an interface that
// installs a speaker words them in its reader's language.

import { afterEach, describe, expect, it } from 'vitest';
import { setSpeaker, type PhraseValues } from '../present/phrasebook.js';
import { checkFriendEntry, linkOutcomeNote, requestKeyWarning } from '../present/friend-form.js';
import { confirmationFeedback } from '../present/passphrase-feedback.js';
import { parseInviter } from './links.js';
import { ACCOUNT_PHRASES } from './account-phrases.js';

const HEX = 'C6D37A2F'.repeat(5);

/** A speaker that says each key with its values, so the spec sees what was asked. */
function listen(): void {
  setSpeaker({
    phrase: (key: string, values: PhraseValues | undefined) => `${key} ${JSON.stringify(values ?? {})}`,
    duration: (seconds) => `${seconds}s`,
  });
}

afterEach(() => setSpeaker(null));

describe('account phrases', () => {
  it('words the add-friend form by key, with the name as a value', () => {
    listen();
    expect(checkFriendEntry('alice', 'alice')).toMatchObject({ ok: false, error: 'account.friendForm.isYou {}' });
    expect(linkOutcomeNote({ kind: 'requested', username: 'bob' })).toBe('account.friendForm.requested {"name":"bob"}');
  });

  it('says a changed safety number by you-know or you-verified keys, never by glued words', () => {
    listen();
    expect(requestKeyWarning('changed', 'bob')?.text).toBe('account.request.keysChanged {"name":"bob"}');
    expect(requestKeyWarning('changed-verified', 'bob')?.text).toBe(
      'account.request.verifiedKeysChanged {"name":"bob"}',
    );
  });

  it('names the contact link or the invite link by key, not by an English piece', () => {
    listen();
    expect(checkFriendEntry('#add=alice&fp=12', 'me')).toMatchObject({
      error: 'account.contactLink.badFingerprint {"name":"alice","digits":40}',
    });
    expect(() => parseInviter('#invite=t&from=alice')).toThrow('account.inviter.noFingerprint {"name":"alice"}');
  });

  it('keeps the English without a speaker', () => {
    expect(confirmationFeedback('a', 'b', true)?.text).toBe(ACCOUNT_PHRASES['account.feedback.passphrasesDiffer']);
    expect(parseInviter(`#invite=t&from=alice&fp=${HEX}`)).toEqual({ username: 'alice', fingerprint: HEX });
  });
});
