// The core's sentences in this language, one chunk: every area's catalogue.
import account from './account.zh.json';
import conversation from './conversation.zh.json';
import files from './files.zh.json';
import groups from './groups.zh.json';
import sending from './sending.zh.json';

const catalogue: Record<string, string> = { ...account, ...conversation, ...files, ...groups, ...sending };
export default catalogue;
