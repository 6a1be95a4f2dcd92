// Groups: the member lists this client verified from their signed records, the changes
// a member makes, and what a conversation shows and checks because of them.

export {
  GroupChains,
  chainReason,
  notAMemberAnyMore,
  notVerifiedYet,
  type GroupChainProblem,
  type GroupChainView,
  type GroupChainsOptions,
} from './group-chains.js';
export { groupChange, startsEpoch, type GroupChange, type NameOf } from './group-change.js';
export { GroupChangeError } from './group-change-error.js';
export { GroupChanges, type FinishOutcome, type GroupChangesParts, type NewGroup } from './group-changes.js';
export { GroupInfos, readGroupInfo, type EpochKey, type GroupInfoResult } from './group-info.js';
export { groupNotice } from './group-notices.js';
// The keyring's view of the verified chains (GroupChains fits it).
export { GROUP_NOT_VERIFIED, type GroupStates } from '../trust/room-keyring.js';
export { judgeGroupMessage, type GroupMessageFacts, type GroupMessageVerdict } from './group-message-rules.js';
