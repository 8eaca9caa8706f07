// Shared set-up for the store conformance suite: one running store per backend per test file,
// keys namespaced per test, and the rule for missing components (skip locally with a message naming
// what to install; fail when PLUMBLINE_REQUIRE_REAL=1, as CI sets it).
import { afterAll, beforeAll, type TestContext } from "vitest";
import type { Bytes, KeyValue, KV } from "../../spec/interfaces/kv.ts";
import type { RunningStore, StoreBackend } from "../targets/store/backends.ts";

export const REQUIRE_REAL = process.env.PLUMBLINE_REQUIRE_REAL === "1";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** UTF-8 bytes of a string. */
export const b = (s: string): Bytes => utf8.encode(s);
/** A byte string as text (keys and values in this suite are ASCII). */
export const str = (bytes: Bytes | undefined): string => (bytes === undefined ? "<none>" : utf8Decoder.decode(bytes));

/** A KeyValue in readable form, for toEqual against expectations. */
export interface KvView {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  lease: bigint;
}

export function view(kv: KeyValue): KvView {
  return {
    key: str(kv.key),
    value: str(kv.value),
    createRevision: kv.createRevision,
    modRevision: kv.modRevision,
    version: kv.version,
    lease: kv.lease,
  };
}

/** Keys of one test: every key the test touches starts with `prefix`. */
export interface TestKeys {
  /** e.g. "t/put-overwrites/" */
  readonly prefix: string;
  /** The key `prefix + name`, as bytes. */
  key(name: string): Bytes;
  /** The range [prefix, prefixEnd(prefix)): every key of this test. */
  all(): { key: Bytes; rangeEnd: Bytes };
  /** Strips the prefix from a key, for readable assertions. */
  name(key: Bytes): string;
}

export interface StoreFixture {
  readonly backend: StoreBackend;
  /** The running store (skips the test locally when the backend cannot run here). */
  store(ctx: TestContext): RunningStore;
  /** The store's client and this test's key namespace. */
  use(ctx: TestContext): { kv: KV; keys: TestKeys };
}

/**
 * Starts `backend` once for the enclosing describe block (beforeAll) and stops it afterwards.
 * Call it at the top of a `describe`.
 */
export function useStoreBackend(backend: StoreBackend): StoreFixture {
  let running: RunningStore | undefined;
  let skipReason: string | undefined;
  /** Set when a required backend is missing: every test fails with it (so each counts as failed). */
  let missingRequired: Error | undefined;
  let startError: Error | undefined;
  const prefixes = new Set<string>();

  beforeAll(async () => {
    const missing = await backend.unavailable();
    if (missing !== undefined) {
      const message = `store backend ${backend.name} cannot run here: ${missing}`;
      if (REQUIRE_REAL) {
        missingRequired = new Error(`${message} (PLUMBLINE_REQUIRE_REAL=1: real components are required)`);
        return;
      }
      skipReason = message;
      console.warn(`[store-conformance] skipping ${backend.name}: ${missing}`);
      return;
    }
    try {
      running = await backend.start();
    } catch (err) {
      // Reported by every test rather than by the hook, so each one counts as failed.
      startError = new Error(`store backend ${backend.name} did not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  });

  afterAll(async () => {
    await running?.stop();
    running = undefined;
  });

  const store = (ctx: TestContext): RunningStore => {
    if (missingRequired) throw missingRequired;
    if (startError) throw startError;
    if (skipReason !== undefined) ctx.skip(skipReason);
    if (!running) throw new Error(`store backend ${backend.name} did not start`);
    return running;
  };

  return {
    backend,
    store,
    use(ctx) {
      const kv = store(ctx).kv;
      const prefix = `t/${slug(ctx.task.name)}/`;
      if (prefixes.has(prefix)) throw new Error(`two tests share the key prefix ${prefix}: rename one`);
      prefixes.add(prefix);
      return { kv, keys: testKeys(prefix) };
    },
  };
}

export function testKeys(prefix: string): TestKeys {
  return {
    prefix,
    key: (name) => b(prefix + name),
    all: () => ({ key: b(prefix), rangeEnd: b(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)) }),
    name: (key) => {
      const s = str(key);
      return s.startsWith(prefix) ? s.slice(prefix.length) : s;
    },
  };
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}
