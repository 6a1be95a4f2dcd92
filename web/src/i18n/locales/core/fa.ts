// The core's sentences in this language, one chunk: every area's catalogue.
import account from './account.fa.json';
import conversation from './conversation.fa.json';
import files from './files.fa.json';
import groups from './groups.fa.json';
import sending from './sending.fa.json';

const catalogue: Record<string, string> = { ...account, ...conversation, ...files, ...groups, ...sending };
export default catalogue;
