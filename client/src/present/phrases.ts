// Every sentence the core can say, by key, in English: the web app's English `core`
// catalogue and the key list every other language's catalogue must match.

import { ACCOUNT_PHRASES } from '../account/account-phrases.js';
import { CONVERSATION_PHRASES } from '../chat/conversation-phrases.js';
import { SENDING_PHRASES } from '../chat/sending-phrases.js';
import { FILE_PHRASES } from '../files/file-phrases.js';
import { GROUP_PHRASES } from '../groups/group-phrases.js';
import { LINK_PHRASES } from '../trust/link-phrases.js';
import { RULE_PHRASES } from '../account/rule-phrases.js';
import type { PhraseTable } from './phrasebook.js';

/** The areas' tables, by the catalogue file each is translated in. */
export const PHRASE_AREAS: Readonly<Record<string, PhraseTable>> = {
  account: { ...ACCOUNT_PHRASES, ...LINK_PHRASES, ...RULE_PHRASES },
  conversation: CONVERSATION_PHRASES,
  files: FILE_PHRASES,
  groups: GROUP_PHRASES,
  sending: SENDING_PHRASES,
};

export const CORE_PHRASES: PhraseTable = Object.assign({}, ...Object.values(PHRASE_AREAS));
