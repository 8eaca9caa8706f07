import { describe, expect, it } from "vitest";
import { cleanPath, decodeContinue, encodeContinue } from "./continue.ts";

describe("continue tokens", () => {
  it("encode the next key relative to the prefix, as upstream's base64url JSON", () => {
    const token = encodeContinue("/registry/pods/default/web\x00", "/registry/pods/", 42);
    expect(Buffer.from(token, "base64url").toString()).toBe('{"v":"meta.k8s.io/v1","rv":42,"start":"default/web\\u0000"}');
    expect(token).not.toMatch(/=/);
    expect(decodeContinue(token, "/registry/pods/")).toEqual({ key: "/registry/pods/default/web\x00", resourceVersion: 42 });
  });

  it("refuse traversal out of the prefix and malformed tokens", () => {
    const token = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
    expect(() => decodeContinue(token({ v: "meta.k8s.io/v1", rv: 1, start: "../secrets/x" }), "/registry/pods/")).toThrow(/continue key is not valid/);
    expect(() => decodeContinue(token({ v: "meta.k8s.io/v1", rv: 0, start: "a" }), "/p/")).toThrow("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    expect(() => decodeContinue(token({ v: "meta.k8s.io/v1", rv: 1, start: "" }), "/p/")).toThrow("continue key is not valid: encoded start key empty");
    expect(() => decodeContinue(token({ v: "v2", rv: 1, start: "a" }), "/p/")).toThrow('server does not recognize this encoded version "v2"');
    expect(() => decodeContinue("a+b", "/p/")).toThrow("illegal base64 data at input byte 1");
    expect(() => decodeContinue(Buffer.from("[1]").toString("base64url"), "/p/")).toThrow(/continue key is not valid/);
  });

  it("clean paths as Go's path.Clean does", () => {
    expect(cleanPath("/a//b/./c/../d/")).toBe("/a/b/d");
    expect(cleanPath("/../x")).toBe("/x");
  });
});
