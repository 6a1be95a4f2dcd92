// Search over the conversations this tab holds, in memory only.

export { foldForSearch, foldQuery, findMatches, type FoldedText } from './fold.js';
export { SNIPPET_RADIUS, snippetAround, type Snippet } from './snippet.js';
export {
  MAX_QUERY_CHARS,
  MAX_SEARCH_RESULTS,
  SearchQueryError,
  searchConversations,
  searchQueryProblem,
  type ConversationHits,
  type ConversationRef,
  type SearchHit,
  type SearchResults,
  type SearchableConversation,
} from './search-messages.js';
