// The core's sentences in this language, one chunk: every area's catalogue.
import account from './account.es.json';
import conversation from './conversation.es.json';
import files from './files.es.json';
import groups from './groups.es.json';
import sending from './sending.es.json';

const catalogue: Record<string, string> = { ...account, ...conversation, ...files, ...groups, ...sending };
export default catalogue;
