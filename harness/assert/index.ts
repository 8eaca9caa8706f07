// Scenario assertions: partial object matching with keyed lists and readable diffs (match.ts,
// diff.ts), and CEL with Kubernetes' extension libraries over the cluster's objects (cel.ts).
export {
  ExpectationError,
  leafCount,
  match,
  matchAny,
  pathText,
  type CandidateResult,
  type ClosestElement,
  type MatchAnyResult,
  type MatchOptions,
  type MatchResult,
  type Mismatch,
  type MismatchReason,
  type PathSegment,
} from "./match.ts";
export { candidateName, formatClosest, formatDiff, formatMismatches, type ClosestOptions } from "./diff.ts";
export {
  CelError,
  CelProgram,
  clusterInput,
  compile,
  evaluate,
  listVariables,
  type CelInput,
  type CelOptions,
  type CelPhase,
  type CelPosition,
} from "./cel.ts";
export type { AbsentScalars } from "./cel-values.ts";
export { listKeysFor, type ListKey } from "./list-keys.ts";
export { RegexError } from "./regex.ts";
