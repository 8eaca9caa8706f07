// parsers.ParseImageName (pkg/util/parsers) over github.com/distribution/reference v0.6
// (ParseNormalizedNamed): the tag decides a container's default imagePullPolicy. A reference that
// does not parse has no tag, so it defaults to IfNotPresent, as upstream ignores the error there.

const ALPHA_NUMERIC = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const DOMAIN_NAME_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const IPV6_ADDRESS = "\\[(?:[a-fA-F0-9:]+)\\]";
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const NAME = `(?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const REFERENCE_REGEXP = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/;

const NAME_TOTAL_LENGTH_MAX = 255;
/** No valid reference is this long (name ≤ 255, tag ≤ 128, digest ≤ sha512); bounds regexp work. */
const REFERENCE_LENGTH_MAX = 1024;

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_REPO_PREFIX = "library/";

/** Hex lengths of the digest algorithms kubelet's parser registers (crypto/sha256, crypto/sha512). */
const DIGEST_HEX_LENGTH: ReadonlyMap<string, number> = new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128],
]);

export interface ImageName {
  /** The normalized repository, e.g. docker.io/library/nginx. */
  readonly repository: string;
  /** The tag; "latest" when neither a tag nor a digest was given; "" when only a digest was. */
  readonly tag: string;
  readonly digest: string;
}

/** ParseImageName; undefined where upstream returns an error. */
export function parseImageName(image: string): ImageName | undefined {
  if (image.length > REFERENCE_LENGTH_MAX || ANCHORED_IDENTIFIER.test(image)) return undefined;
  const { domain, remainder } = splitDockerDomain(image);
  const colon = remainder.indexOf(":");
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) return undefined;

  const match = REFERENCE_REGEXP.exec(`${domain}/${remainder}`);
  if (match === null) return undefined;
  const [, repository = "", tag = "", digest = ""] = match;
  if (repository.length > NAME_TOTAL_LENGTH_MAX) return undefined;
  if (digest !== "" && !isValidDigest(digest)) return undefined;
  return { repository, tag: tag === "" && digest === "" ? "latest" : tag, digest };
}

/** SetDefaults_Container: Always for a "latest" tag (explicit or implied), else IfNotPresent. */
export function defaultImagePullPolicy(image: unknown): "Always" | "IfNotPresent" {
  const parsed = typeof image === "string" ? parseImageName(image) : undefined;
  return parsed?.tag === "latest" ? "Always" : "IfNotPresent";
}

function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const slash = name.indexOf("/");
  let domain: string;
  let remainder: string;
  const first = slash === -1 ? "" : name.slice(0, slash);
  if (slash === -1 || (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(slash + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes("/")) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/** go-digest Digest.Validate for the registered algorithms: lowercase hex of the exact length. */
function isValidDigest(digest: string): boolean {
  const colon = digest.indexOf(":");
  const expected = DIGEST_HEX_LENGTH.get(digest.slice(0, colon));
  const hex = digest.slice(colon + 1);
  return expected !== undefined && hex.length === expected && /^[a-f0-9]+$/.test(hex);
}
