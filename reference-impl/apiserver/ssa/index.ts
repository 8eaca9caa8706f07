// Server-side apply and field ownership (metadata.managedFields) for the reference API server.
// Pure functions: no I/O, no clock (callers pass Clock.now()), inputs never modified.
export { conflictMessage, conflictStatus, printManager, type Conflict } from "./conflict.ts";
export {
  CLIENT_SIDE_APPLY_MANAGER,
  findFieldsOwners,
  upgradeManagedFields,
  upgradeManagedFieldsPatch,
  type JsonPatchOperation,
  type UpgradeOptions,
} from "./csa-upgrade.ts";
export { SsaError, type SsaErrorCode } from "./errors.ts";
export {
  ANCIENT_CHANGES_MANAGER,
  BEFORE_FIRST_APPLY_MANAGER,
  MAX_UPDATE_MANAGERS,
  applyPatch,
  defaultResetFields,
  ownedPaths,
  updateManagedFields,
  type ApplyConflicts,
  type ApplyPatchOptions,
  type ApplyResult,
  type ApplySuccess,
  type UpdateManagedFieldsOptions,
} from "./field-manager.ts";
export { FieldSet, FieldSetBuilder, FieldsV1Error } from "./field-set.ts";
export { LAST_APPLIED_CONFIG_ANNOTATION } from "./last-applied.ts";
export {
  FIELD_MANAGER_MAX_LENGTH,
  decodeManagedFields,
  encodeManagedFields,
  managerOrUserAgent,
  prefixFromUserAgent,
  validateFieldManager,
  validateManagedFields,
  validatePatchOptions,
  type ManagedFieldsEntry,
} from "./managed-fields.ts";
export {
  deserializePathElement,
  fieldElement,
  indexElement,
  keyElement,
  pathToString,
  serializePathElement,
  valueElement,
  type Path,
  type PathElement,
} from "./path.ts";
export { atomOf, rootAtom, type Atom } from "./schema.ts";
export { compareTyped, fieldsOf, mergeTyped, removeItems, validateTyped, type Comparison } from "./typed.ts";
