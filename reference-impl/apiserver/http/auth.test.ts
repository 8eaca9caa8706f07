import { describe, expect, it } from "vitest";
import { TokenAuthenticator, parseTokenAuthFile } from "./auth.ts";

describe("TokenAuthenticator", () => {
  const auth = new TokenAuthenticator([
    { token: "s3cret", user: "admin" },
    { token: "other", user: "alice" },
  ]);

  it("authenticates a bearer token, the scheme in any case", () => {
    expect(auth.authenticate("Bearer s3cret")).toEqual({ user: "admin" });
    expect(auth.authenticate("bearer other")).toEqual({ user: "alice" });
    expect(auth.authenticate("  BEARER s3cret  ")).toEqual({ user: "admin" });
  });

  it("tells a missing credential from an invalid one", () => {
    expect(auth.authenticate(undefined)).toEqual({ reason: "missing" });
    expect(auth.authenticate("")).toEqual({ reason: "missing" });
    expect(auth.authenticate("Basic YWRtaW46eA==")).toEqual({ reason: "missing" });
    expect(auth.authenticate("Bearer")).toEqual({ reason: "missing" });
    expect(auth.authenticate("Bearer wrong")).toEqual({ reason: "invalid" });
    expect(auth.authenticate("Bearer  s3cret")).toEqual({ reason: "invalid" });
    expect(auth.authenticate("Bearer s3cre")).toEqual({ reason: "invalid" });
  });

  it("refuses an empty token in its list", () => {
    expect(() => new TokenAuthenticator([{ token: "", user: "x" }])).toThrow(/empty bearer token/);
  });
});

describe("parseTokenAuthFile", () => {
  it("reads token,user[,uid[,groups]] rows", () => {
    expect(parseTokenAuthFile('t1,alice,uid1,"g1,g2"\n\nt2,bob\n')).toEqual([
      { token: "t1", user: "alice" },
      { token: "t2", user: "bob" },
    ]);
    expect(() => parseTokenAuthFile("lonely\n")).toThrow(/line 1/);
  });
});
