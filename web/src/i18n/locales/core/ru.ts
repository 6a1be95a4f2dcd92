// The core's sentences in this language, one chunk: every area's catalogue.
import account from './account.ru.json';
import conversation from './conversation.ru.json';
import files from './files.ru.json';
import groups from './groups.ru.json';
import sending from './sending.ru.json';

const catalogue: Record<string, string> = { ...account, ...conversation, ...files, ...groups, ...sending };
export default catalogue;
