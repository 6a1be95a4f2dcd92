// Search over what this tab holds: the decrypted messages of the conversations it has
// loaded, in memory. Nothing is indexed, kept or sent anywhere; every search reads the
// timelines again. Conversations this tab never opened hold at most their newest
// message, so the results name them: "not found" must not read as "not there".

import { CONVERSATION_PHRASES } from '../chat/conversation-phrases.js';
import type { ChatItem } from '../chat/items.js';
import type { RoomState } from '../chat/snapshot.js';
import { findMatches, foldQuery } from './fold.js';
import { snippetAround, type Snippet } from './snippet.js';
import { sayer } from '../present/phrasebook.js';

const say = sayer(CONVERSATION_PHRASES);

/** Messages listed at most (the newest ones); the results say when there were more. */
export const MAX_SEARCH_RESULTS = 100;
/** A longer query is refused with a sentence (nobody types more to find a message). */
export const MAX_QUERY_CHARS = 200;

/** A conversation as search reads it (the conversation list's entries fit). */
export interface SearchableConversation {
  roomId: string;
  /** The friend's username or the group's name. */
  title: string;
  /** What this tab holds of it; undefined: nothing yet. */
  state: Pick<RoomState, 'items' | 'loaded' | 'partial' | 'hasOlder'> | undefined;
}

export interface SearchHit {
  /** The message's item key (the view finds its row by it). */
  key: string;
  seq: number | null;
  senderId: string;
  mine: boolean;
  time: number;
  /** Where it matched: the message text or the file's name. */
  field: 'text' | 'file';
  snippet: Snippet;
}

export interface ConversationHits {
  roomId: string;
  title: string;
  /** Newest first. */
  hits: SearchHit[];
}

export interface ConversationRef {
  roomId: string;
  title: string;
}

export interface SearchResults {
  /** Conversations with matches, the one with the newest match first. */
  conversations: ConversationHits[];
  /** Matches listed. */
  count: number;
  /** There were more matches than MAX_SEARCH_RESULTS: only the newest are listed. */
  truncated: boolean;
  /** Not opened in this tab: at most their newest message was searched. */
  unopened: ConversationRef[];
  /** Opened, but their older messages were never loaded: those were not searched. */
  olderNotLoaded: ConversationRef[];
}

export class SearchQueryError extends Error {}

/** Why a query cannot be searched, or null. */
export function searchQueryProblem(query: string): string | null {
  if ([...query].length > MAX_QUERY_CHARS) return say('conversation.search.tooLong', { count: MAX_QUERY_CHARS });
  return null;
}

/** A message or file people wrote (not a notice of a membership change or a timer, nor one that failed its checks). */
function searchable(item: ChatItem): boolean {
  return item.state !== 'notice' && item.state !== 'unverified' && (item.timer ?? null) === null;
}

function hitsIn(item: ChatItem, needle: string): SearchHit[] {
  const hits: SearchHit[] = [];
  const base = { key: item.key, seq: item.seq, senderId: item.senderId, mine: item.mine, time: item.time };
  if (item.text) {
    const ranges = findMatches(item.text, needle);
    if (ranges.length > 0) hits.push({ ...base, field: 'text', snippet: snippetAround(item.text, ranges) });
  }
  if (item.file) {
    const ranges = findMatches(item.file.name, needle);
    if (ranges.length > 0) hits.push({ ...base, field: 'file', snippet: snippetAround(item.file.name, ranges) });
  }
  return hits;
}

/** For ties in time: by seq, a send not stored yet last. */
function order(hit: SearchHit): number {
  return hit.seq ?? Number.MAX_SAFE_INTEGER;
}

/**
 * Searches the messages held for `query` (case, accents and letter variants ignored;
 * any script, no word boundaries assumed). An empty query finds nothing.
 */
export function searchConversations(conversations: readonly SearchableConversation[], query: string): SearchResults {
  const problem = searchQueryProblem(query);
  if (problem) throw new SearchQueryError(problem);
  const needle = foldQuery(query);
  const unopened: ConversationRef[] = [];
  const olderNotLoaded: ConversationRef[] = [];
  const found: Array<{ ref: ConversationRef; hit: SearchHit }> = [];
  for (const conversation of conversations) {
    const { roomId, title, state } = conversation;
    const ref = { roomId, title };
    if (!state || !state.loaded || state.partial) unopened.push(ref);
    else if (state.hasOlder) olderNotLoaded.push(ref);
    if (!state || needle.length === 0) continue;
    for (const item of state.items) {
      if (!searchable(item)) continue;
      for (const hit of hitsIn(item, needle)) found.push({ ref, hit });
    }
  }
  found.sort((a, b) => b.hit.time - a.hit.time || order(b.hit) - order(a.hit));
  const kept = found.slice(0, MAX_SEARCH_RESULTS);
  const grouped = new Map<string, ConversationHits>();
  for (const { ref, hit } of kept) {
    let group = grouped.get(ref.roomId);
    if (!group) {
      group = { ...ref, hits: [] };
      grouped.set(ref.roomId, group);
    }
    group.hits.push(hit);
  }
  return {
    conversations: [...grouped.values()],
    count: kept.length,
    truncated: found.length > kept.length,
    unopened,
    olderNotLoaded,
  };
}
