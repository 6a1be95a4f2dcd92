// /search TEXT: the core's search over the conversations this terminal holds, in memory,
// shown as a panel. Nothing is indexed, saved or sent. Conversations not opened here yet
// are named, so "nothing found" is not taken for "not there".

import {
  formatActivity,
  searchConversations,
  type RoomState,
  type SearchableConversation,
  type Snippet,
} from '@onionchat/client';
import { cleanText } from './text.js';

export const SEARCH_USAGE = '/search TEXT';

/** The snippet with its matches between « and ». */
function marked(snippet: Snippet): string {
  let out = '';
  let at = 0;
  for (const [from, to] of snippet.ranges) {
    out += `${snippet.text.slice(at, from)}«${snippet.text.slice(from, to)}»`;
    at = to;
  }
  return cleanText(out + snippet.text.slice(at));
}

function senderName(state: SearchableConversation['state'], senderId: string, mine: boolean): string {
  if (mine) return 'you';
  const room = state as Partial<Pick<RoomState, 'room' | 'group'>> | undefined;
  const member = room?.group?.members.find((one) => one.id === senderId);
  if (member) return member.name;
  return room?.room?.members.find((one) => one.id === senderId)?.username ?? 'someone';
}

/** The panel for a search; throws a sentence for a query that cannot be searched. */
export function searchPanel(conversations: readonly SearchableConversation[], query: string): string[] {
  const results = searchConversations(conversations, query);
  const lines: string[] = [];
  const messages = results.count === 1 ? '1 message' : `${results.count} messages`;
  const where = results.conversations.length === 1 ? '1 conversation' : `${results.conversations.length} conversations`;
  lines.push(
    results.count === 0
      ? `Nothing found for “${cleanText(query.trim())}”.`
      : `${results.truncated ? 'The newest ' : ''}${messages} found in ${where} for “${cleanText(query.trim())}”:`,
  );
  const states = new Map(conversations.map((conversation) => [conversation.roomId, conversation.state]));
  for (const conversation of results.conversations) {
    lines.push('', `${cleanText(conversation.title)}:`);
    for (const hit of conversation.hits) {
      const who = cleanText(senderName(states.get(conversation.roomId), hit.senderId, hit.mine));
      const what = hit.field === 'file' ? `[file] ${marked(hit.snippet)}` : marked(hit.snippet);
      lines.push(`  ${formatActivity(hit.time)}  ${who}: ${what}`);
    }
  }
  const names = (refs: ReadonlyArray<{ title: string }>) => refs.map((ref) => cleanText(ref.title)).join(', ');
  if (results.unopened.length > 0) {
    lines.push(
      '',
      `Not searched, because not opened here yet: ${names(results.unopened)} (/open them to search them).`,
    );
  }
  if (results.olderNotLoaded.length > 0) {
    lines.push(
      `Older messages not loaded here were not searched: ${names(results.olderNotLoaded)} (/older loads them).`,
    );
  }
  lines.push('', 'This searched what this terminal holds in memory; nothing was saved or sent. Esc closes this.');
  return lines;
}
