// Image references as kubelet's parser reads them (pkg/util/parsers/parsers_test.go cases plus the
// distribution/reference grammar), and the pull policy SetDefaults_Container derives from them.

import { describe, expect, it } from "vitest";
import { defaultImagePullPolicy, parseImageName } from "./image.ts";

const SHA256 = "sha256:e6b8f8a2bfc1a0d7e0f0c4b6c3b0e9c7a1f8d2e4b6a8c0e2f4a6b8d0e2f4a6b8";

describe("parseImageName", () => {
  it.each([
    ["root", "docker.io/library/root", "latest", ""],
    ["root:tag", "docker.io/library/root", "tag", ""],
    [`root@${SHA256}`, "docker.io/library/root", "", SHA256],
    ["user/repo", "docker.io/user/repo", "latest", ""],
    ["user/repo:tag", "docker.io/user/repo", "tag", ""],
    [`user/repo@${SHA256}`, "docker.io/user/repo", "", SHA256],
    ["url:5000/repo", "url:5000/repo", "latest", ""],
    ["url:5000/repo:tag", "url:5000/repo", "tag", ""],
    [`url:5000/repo@${SHA256}`, "url:5000/repo", "", SHA256],
    [`url:5000/repo:latest@${SHA256}`, "url:5000/repo", "latest", SHA256],
    ["localhost/repo", "localhost/repo", "latest", ""],
    ["index.docker.io/nginx:1.25", "docker.io/library/nginx", "1.25", ""],
    ["registry.k8s.io/e2e-test-images/agnhost:2.40", "registry.k8s.io/e2e-test-images/agnhost", "2.40", ""],
    ["[2001:db8::1]:5000/repo:v1", "[2001:db8::1]:5000/repo", "v1", ""],
    ["Registry.Example.com/repo", "Registry.Example.com/repo", "latest", ""],
  ])("%s → %s, tag %j, digest %j", (input, repository, tag, digest) => {
    expect(parseImageName(input)).toEqual({ repository, tag, digest });
  });

  it.each([
    "",
    "ROOT",
    "user/REPO",
    "root:tag:tag",
    "root:",
    ":tag",
    "root@sha256:abc",
    `root@sha256:${"E".repeat(64)}`,
    `root@md5:${"a".repeat(32)}`,
    "e6b8f8a2bfc1a0d7e0f0c4b6c3b0e9c7a1f8d2e4b6a8c0e2f4a6b8d0e2f4a6b8",
    "a/" + "b".repeat(300),
    "x".repeat(5000),
  ])("rejects %j", (input) => {
    expect(parseImageName(input)).toBeUndefined();
  });
});

describe("defaultImagePullPolicy", () => {
  it.each([
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    [`nginx:latest@${SHA256}`, "Always"],
    ["nginx:1.14.2", "IfNotPresent"],
    [`nginx@${SHA256}`, "IfNotPresent"],
    ["localhost:5000/app", "Always"],
    // Upstream ignores the parse error: no tag, so IfNotPresent.
    ["NGINX", "IfNotPresent"],
    ["", "IfNotPresent"],
    [undefined, "IfNotPresent"],
  ])("%j → %s", (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });
});
