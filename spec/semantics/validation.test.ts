// Cases are upstream's (k8s.io/apimachinery/pkg/util/validation/validation_test.go,
// pkg/api/validation/objectmeta_test.go); messages are upstream's exact text.
import { describe, expect, it } from "vitest";
import type { Rng } from "../interfaces/rng.ts";
import { FieldPath, fieldErrorString } from "./field-errors.ts";
import {
  annotationsSize,
  GENERATED_NAME_ALPHABET,
  generateName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isInRange,
  isQualifiedName,
  isValidIP,
  isValidIPv4Address,
  isValidIPv6Address,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsDNS1035Label,
  parseIPSloppy,
  TOTAL_ANNOTATION_SIZE_LIMIT_B,
  validateAnnotations,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "./validation.ts";

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const nameRule =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const labelGood = ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a".repeat(63)];
const commonBad = ["", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_"];
const moreBad = ["_1", "1_2", ".", "a.", ".a", "1.", ".1", " ", "a ", " a", "a b", "1 ", " 1", "1 2"];

describe("DNS names", () => {
  it.each(labelGood)("isDNS1123Label(%j) is valid", (v) => expect(isDNS1123Label(v)).toEqual([]));
  it.each([...commonBad, ...moreBad, "a.b", "1.2", "a".repeat(64)])("isDNS1123Label(%j) is invalid", (v) => {
    expect(isDNS1123Label(v).length).toBeGreaterThan(0);
  });

  it("isDNS1123Label messages", () => {
    expect(isDNS1123Label("Web")).toEqual([labelMsg]);
    expect(isDNS1123Label("a.b")).toEqual(["must not contain dots"]);
    expect(isDNS1123Label("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(isDNS1123Label("A".repeat(64))).toEqual(["must be no more than 63 characters", labelMsg]);
  });

  const subdomainGood = [
    ...labelGood.slice(0, -1),
    "a.a", "ab.a", "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1",
    "a--1--2--b.1", "0.a", "01.a", "012.a", "1a.a", "1-a.a", "0.1", "01.1", "012.1", "1a.1", "1-a.1",
    "1--a--b--2.1", "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", "a".repeat(253),
  ];
  it.each(subdomainGood)("isDNS1123Subdomain(%j) is valid", (v) => expect(isDNS1123Subdomain(v)).toEqual([]));
  it.each([
    ...commonBad, ...moreBad, "a..b", "1..2", "A.a", "aB.a", "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1",
    "0.A", "01.A", "012.A", "1A.a", "1a.A", "A.B.C.D.E", "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b",
    "a,b", "a;b", "a:b", "a%b", "a?b", "a$b", "a".repeat(254),
  ])("isDNS1123Subdomain(%j) is invalid", (v) => expect(isDNS1123Subdomain(v).length).toBeGreaterThan(0));

  it("isDNS1123Subdomain messages", () => {
    expect(isDNS1123Subdomain("Example.com")).toEqual([subdomainMsg]);
    expect(isDNS1123Subdomain("a".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });

  it.each(["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "a".repeat(63)])("isDNS1035Label(%j) is valid", (v) => {
    expect(isDNS1035Label(v)).toEqual([]);
  });
  it.each(["0", "01", "012", "1a", "1-a", "1--a--b--2", ...commonBad, ...moreBad, "a".repeat(64)])(
    "isDNS1035Label(%j) is invalid",
    (v) => expect(isDNS1035Label(v).length).toBeGreaterThan(0),
  );
  it("isDNS1035Label message", () => expect(isDNS1035Label("1abc")).toEqual([dns1035Msg]));
});

describe("qualified names and label values", () => {
  it.each([
    "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
    "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num",
    "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
    "a".repeat(63), "a".repeat(253) + "/" + "b".repeat(63),
  ])("isQualifiedName(%j) is valid", (v) => expect(isQualifiedName(v)).toEqual([]));

  it.each([
    ["nospecialchars%^=@", ["name part " + nameRule]],
    ["cantendwithadash-", ["name part " + nameRule]],
    ["-cantstartwithadash-", ["name part " + nameRule]],
    [
      "only/one/slash",
      [
        "a qualified name " +
          nameRule +
          " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    ["Example.com/abc", ["prefix part " + subdomainMsg]],
    ["example_com/abc", ["prefix part " + subdomainMsg]],
    ["example.com/", ["name part must be non-empty", "name part " + nameRule]],
    ["/simple", ["prefix part must be non-empty"]],
    ["a".repeat(64), ["name part must be no more than 63 characters"]],
    ["a".repeat(254) + "/abc", ["prefix part must be no more than 253 characters"]],
  ])("isQualifiedName(%j) fails", (v, errs) => expect(isQualifiedName(v)).toEqual(errs));

  it.each(["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", "a".repeat(63), ""])(
    "isValidLabelValue(%j) is valid",
    (v) => expect(isValidLabelValue(v)).toEqual([]),
  );
  it.each([
    ["nospecialchars%^=@", [labelValueMsg]],
    ["Tama-nui-te-rā.is.Māori.sun", [labelValueMsg]],
    ["\\backslashes\\are\\bad", [labelValueMsg]],
    ["-starts-with-dash", [labelValueMsg]],
    ["ends-with-dash-", [labelValueMsg]],
    [".starts.with.dot", [labelValueMsg]],
    ["ends.with.dot.", [labelValueMsg]],
    ["a".repeat(64), ["must be no more than 63 characters"]],
    // Go counts bytes: 32 two-byte characters are 64 bytes.
    ["é".repeat(32), ["must be no more than 63 characters", labelValueMsg]],
  ])("isValidLabelValue(%j) fails", (v, errs) => expect(isValidLabelValue(v)).toEqual(errs));
});

describe("ports", () => {
  it.each([1, 80, 65535])("isValidPortNum(%d) is valid", (p) => expect(isValidPortNum(p)).toEqual([]));
  it.each([0, -1, 65536, 1.5])("isValidPortNum(%d) fails", (p) => {
    expect(isValidPortNum(p)).toEqual(["must be between 1 and 65535, inclusive"]);
  });
  it("isInRange", () => {
    expect(isInRange(30000, 30000, 32767)).toEqual([]);
    expect(isInRange(29999, 30000, 32767)).toEqual(["must be between 30000 and 32767, inclusive"]);
  });
  it.each([
    ["http", []],
    ["a-b-c", []],
    ["1a", []],
    ["", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]],
    ["1234", ["must contain at least one letter (a-z)"]],
    ["a--b", ["must not contain consecutive hyphens"]],
    ["-ab", ["must not begin or end with a hyphen"]],
    ["ab-", ["must not begin or end with a hyphen"]],
    ["abcdefghijklmnop", ["must be no more than 15 characters"]],
    ["HTTP", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]],
  ])("isValidPortName(%j)", (v, errs) => expect(isValidPortName(v)).toEqual(errs));
});

describe("IP addresses (ParseIPSloppy)", () => {
  const good = [
    "0.0.0.0", "1.1.1.1", "192.168.0.1", "255.255.255.255", "001.002.003.004", "::", "::1", "2001:db8::1",
    "2001:db8:0:0:0:0:0:1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "::1.2.3.4", "fe80::1:2:3:4", "1::",
  ];
  it.each(good)("isValidIP(%j) is valid", (v) => expect(isValidIP(FieldPath.of("ip"), v)).toEqual([]));
  const bad = [
    "", " ", "1", "1.2", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4/32", "1.2.3.-4", "a.b.c.d", "fe80::1%eth0",
    "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", ":1", "1:", "12345::", "1.2.3.4:80", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4",
  ];
  it.each(bad)("isValidIP(%j) fails", (v) => {
    expect(isValidIP(FieldPath.of("spec", "clusterIP"), v).map(fieldErrorString)).toEqual([
      `spec.clusterIP: Invalid value: ${JSON.stringify(v)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    ]);
  });

  it("families", () => {
    expect(isValidIPv4Address(null, "10.0.0.1")).toEqual([]);
    expect(isValidIPv4Address(null, "::ffff:10.0.0.1")).toEqual([]);
    expect(isValidIPv4Address(null, "::1").map(fieldErrorString)).toEqual([
      '<nil>: Invalid value: "::1": must be a valid IPv4 address',
    ]);
    expect(isValidIPv6Address(null, "::1")).toEqual([]);
    expect(isValidIPv6Address(null, "10.0.0.1").length).toBe(1);
    expect([...(parseIPSloppy("2001:db8::1") ?? [])]).toEqual([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([...(parseIPSloppy("010.1.2.3") ?? [])].slice(12)).toEqual([10, 1, 2, 3]);
  });
});

describe("object names and generateName", () => {
  it("a generateName may end with a dash", () => {
    expect(nameIsDNSSubdomain("web-", true)).toEqual([]);
    expect(nameIsDNSSubdomain("web-", false)).toEqual([subdomainMsg]);
    expect(nameIsDNSLabel("x-", true)).toEqual([]);
    expect(nameIsDNS1035Label("svc-", true)).toEqual([]);
    expect(nameIsDNS1035Label("1svc", false)).toEqual([dns1035Msg]);
    expect(nameIsDNSSubdomain("-", true)).toEqual([subdomainMsg]);
  });

  /** A deterministic Rng walking through the alphabet. */
  function countingRng(): Rng {
    let n = 0;
    const rng: Rng = {
      int: (min, max) => min + (n++ % (max - min + 1)),
      float: () => 0,
      uint64: () => 0n,
      fork: () => rng,
    };
    return rng;
  }

  it("appends five characters from the alphabet, cutting the base to 58", () => {
    expect(generateName("web-", countingRng())).toBe("web-bcdfg");
    const long = generateName("x".repeat(70), countingRng());
    expect(long).toHaveLength(63);
    expect(long.startsWith("x".repeat(58))).toBe(true);
    for (const ch of generateName("", countingRng())) expect(GENERATED_NAME_ALPHABET).toContain(ch);
    expect(GENERATED_NAME_ALPHABET).toHaveLength(27);
  });
});

describe("ObjectMeta", () => {
  const dns = { namespaced: true, nameFn: nameIsDNSSubdomain };
  const messages = (errs: ReturnType<typeof validateObjectMeta>): string[] => errs.map(fieldErrorString);

  it("accepts a typical object", () => {
    expect(
      validateObjectMeta(
        {
          name: "web-7d4b9c",
          namespace: "default",
          labels: { app: "web", "app.kubernetes.io/part-of": "shop" },
          annotations: { "Example.com/Note": "anything at all" },
          ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "u1", controller: true }],
          finalizers: ["kubernetes.io/pv-protection"],
        },
        dns,
      ),
    ).toEqual([]);
  });

  it("reports names, namespace and generation", () => {
    expect(messages(validateObjectMeta({ namespace: "default" }, dns))).toEqual([
      "metadata.name: Required value: name or generateName is required",
    ]);
    expect(messages(validateObjectMeta({ name: "Web", generateName: "bad_", namespace: "Default", generation: -1 }, dns))).toEqual([
      `metadata.generateName: Invalid value: "bad_": ${subdomainMsg}`,
      `metadata.name: Invalid value: "Web": ${subdomainMsg}`,
      `metadata.namespace: Invalid value: "Default": ${labelMsg}`,
      "metadata.generation: Invalid value: -1: must be greater than or equal to 0",
    ]);
    expect(messages(validateObjectMeta({ name: "web" }, dns))).toEqual(["metadata.namespace: Required value"]);
    expect(messages(validateObjectMeta({ name: "n1", namespace: "x" }, { namespaced: false, nameFn: nameIsDNSSubdomain }))).toEqual([
      "metadata.namespace: Forbidden: not allowed on this type",
    ]);
  });

  it("reports labels, annotations, owner references and finalizers", () => {
    const errs = messages(
      validateObjectMeta(
        {
          name: "web",
          namespace: "default",
          labels: { "bad key": "v", ok: "bad value" },
          annotations: { "a/b/c": "" },
          ownerReferences: [
            { apiVersion: "v1", kind: "Event", name: "e", uid: "u" },
            { apiVersion: "a/b/c", kind: "", name: "", uid: "" },
            { apiVersion: "apps/v1", kind: "ReplicaSet", name: "a", uid: "1", controller: true },
            { apiVersion: "apps/v1", kind: "ReplicaSet", name: "b", uid: "2", controller: true },
          ],
          finalizers: ["orphan", "foregroundDeletion"],
        },
        dns,
      ),
    );
    expect(errs).toEqual([
      `metadata.labels: Invalid value: "bad key": name part ${nameRule}`,
      `metadata.labels: Invalid value: "bad value": ${labelValueMsg}`,
      `metadata.annotations: Invalid value: "a/b/c": a qualified name ${nameRule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner',
      'metadata.ownerReferences.apiVersion: Invalid value: "a/b/c": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      expect.stringMatching(
        /^metadata\.ownerReferences: Invalid value: \[.*\]: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/,
      ),
      'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  it("limits annotations to 256 KiB of keys and values", () => {
    const path = FieldPath.of("metadata", "annotations");
    const fits = { a: "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B - 1) };
    expect(annotationsSize(fits)).toBe(262144);
    expect(validateAnnotations(fits, path)).toEqual([]);
    expect(validateAnnotations({ ab: "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT_B - 1) }, path).map(fieldErrorString)).toEqual([
      "metadata.annotations: Too long: may not be more than 262144 bytes",
    ]);
  });

  it("checks updates", () => {
    const old = { name: "a", namespace: "ns", uid: "u1", resourceVersion: "5", generation: 3, creationTimestamp: "2024-01-01T00:00:00Z" };
    expect(validateObjectMetaUpdate({ ...old, resourceVersion: "5" }, old)).toEqual([]);
    expect(
      validateObjectMetaUpdate({ ...old, name: "b", uid: "u2", resourceVersion: "", generation: 2 }, old).map(fieldErrorString),
    ).toEqual([
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      "metadata.generation: Invalid value: 2: must not be decremented",
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
    const deleting = { ...old, deletionTimestamp: "2024-01-02T00:00:00Z", finalizers: ["keep"] };
    expect(validateObjectMetaUpdate({ ...deleting, finalizers: ["keep", "new-b", "new-a"] }, deleting).map(fieldErrorString)).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"new-a", "new-b"}',
    ]);
    expect(validateObjectMetaUpdate({ ...old, deletionTimestamp: "2024-01-02T00:00:00Z" }, old).map(fieldErrorString)).toEqual([
      'metadata.deletionTimestamp: Invalid value: "2024-01-02T00:00:00Z": field is immutable',
    ]);
  });
});
