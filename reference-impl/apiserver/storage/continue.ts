// List continue tokens, as upstream encodes them (k8s.io/apiserver/pkg/storage/continue.go):
// base64url (no padding) of {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key>"}, the key
// relative to the list's prefix. rv -1 means "continue at the latest revision" (the token handed
// out with a 410 when the original revision was compacted).
import { StorageError } from "./errors.ts";

const TOKEN_VERSION = "meta.k8s.io/v1";
const INVALID = "continue key is not valid";

/** Go's json.Marshal escapes these inside strings; do the same so tokens match byte for byte. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function encodeContinue(key: string, keyPrefix: string, resourceVersion: number): string {
  if (!key.startsWith(keyPrefix)) throw new Error("unable to encode next field: the key and key prefix do not match");
  const json = goJson({ v: TOKEN_VERSION, rv: resourceVersion, start: key.slice(keyPrefix.length) });
  return Buffer.from(json, "utf8").toString("base64url");
}

/** DecodeContinue: the absolute start key and the revision, or a StorageError("InvalidContinue"). */
export function decodeContinue(token: string, keyPrefix: string): { key: string; resourceVersion: number } {
  const bad = /[^A-Za-z0-9_-]/.exec(token);
  if (bad !== null || token.length % 4 === 1) {
    const at = bad?.index ?? token.length - 1;
    throw invalid(`${INVALID}: illegal base64 data at input byte ${at}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid(`${INVALID}: invalid character in the encoded token`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw invalid(`${INVALID}: json: cannot unmarshal into Go value of type storage.continueToken`);
  }
  const { v, rv, start } = parsed as Record<string, unknown>;
  if ((v !== undefined && typeof v !== "string") || (rv !== undefined && !Number.isSafeInteger(rv)) || (start !== undefined && typeof start !== "string")) {
    throw invalid(`${INVALID}: json: cannot unmarshal into Go struct field continueToken`);
  }
  if (v !== TOKEN_VERSION) throw invalid(`${INVALID} server does not recognize this encoded version ${JSON.stringify(v ?? "")}`);
  if (rv === undefined || rv === 0) throw invalid(`${INVALID}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`);
  if (start === undefined || start === "") throw invalid(`${INVALID}: encoded start key empty`);
  // Defend against path traversal: the cleaned key must equal the key, so it stays under the prefix.
  const key = start.startsWith("/") ? start : `/${start}`;
  if (cleanPath(key) !== key) throw invalid(`${INVALID}: ${start}`);
  return { key: keyPrefix + key.slice(1), resourceVersion: rv as number };
}

function invalid(message: string): StorageError {
  return new StorageError("InvalidContinue", message);
}

/** Go's path.Clean for absolute paths: collapse "//", drop ".", resolve "..", no trailing "/". */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}
