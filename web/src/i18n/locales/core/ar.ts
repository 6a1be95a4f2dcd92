// The core's sentences in this language, one chunk: every area's catalogue.
import account from './account.ar.json';
import conversation from './conversation.ar.json';
import files from './files.ar.json';
import groups from './groups.ar.json';
import sending from './sending.ar.json';

const catalogue: Record<string, string> = { ...account, ...conversation, ...files, ...groups, ...sending };
export default catalogue;
