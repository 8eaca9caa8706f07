// Bearer-token authentication, as the apiserver's token authenticators read the header
// (k8s.io/apiserver/pkg/authentication/request/bearertoken): `Authorization: Bearer <token>`, the
// scheme case-insensitive; an empty token is invalid. Token comparison is constant-time. Pure.
import { timingSafeEqual } from "node:crypto";

/** A token-auth-file row: the token and the user it authenticates. */
export interface TokenUser {
  token: string;
  user: string;
}

export type AuthResult = { user: string } | { reason: "missing" | "invalid" };

export class TokenAuthenticator {
  readonly #tokens: readonly { token: Buffer; user: string }[];

  constructor(tokens: readonly TokenUser[]) {
    if (tokens.some((t) => t.token === "")) throw new Error("an empty bearer token cannot authenticate anyone");
    this.#tokens = tokens.map((t) => ({ token: Buffer.from(t.token, "utf8"), user: t.user }));
  }

  /** Authenticates an Authorization header value. */
  authenticate(authorization: string | undefined): AuthResult {
    const auth = (authorization ?? "").trim();
    if (auth === "") return { reason: "missing" };
    const parts = auth.split(" ");
    if (parts.length < 2 || (parts[0] ?? "").toLowerCase() !== "bearer") return { reason: "missing" };
    const token = parts[1] ?? "";
    if (token === "") return { reason: "invalid" };
    const given = Buffer.from(token, "utf8");
    let found: string | undefined;
    for (const t of this.#tokens) {
      if (t.token.length === given.length && timingSafeEqual(t.token, given)) found ??= t.user;
    }
    return found === undefined ? { reason: "invalid" } : { user: found };
  }
}

/**
 * A --token-auth-file's rows (`token,user,uid,"group1,group2"`; blank lines and extra columns
 * ignored). Throws on a row without a token or user.
 */
export function parseTokenAuthFile(text: string): TokenUser[] {
  const rows: TokenUser[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const [token = "", user = ""] = line.split(",").map((f) => f.trim());
    if (token === "" || user === "") throw new Error(`token auth file line ${i + 1}: expected "token,user[,uid[,groups]]"`);
    rows.push({ token, user });
  });
  return rows;
}
