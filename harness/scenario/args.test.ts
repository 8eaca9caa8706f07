import { describe, expect, it } from "vitest";
import { ArgsSyntaxError, kubectlFileArgs, splitArgs } from "./args.ts";

describe("splitArgs", () => {
  it("splits as a shell would, without expansion", () => {
    expect(splitArgs("get pods -o wide")).toEqual(["get", "pods", "-o", "wide"]);
    expect(splitArgs(`  get  pods   `)).toEqual(["get", "pods"]);
    expect(splitArgs(`get pods -o jsonpath='{.items[*].metadata.name}'`)).toEqual(["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"]);
    expect(splitArgs(`annotate pod web note="a \\"quoted\\" word" x=$HOME`)).toEqual(["annotate", "pod", "web", 'note=a "quoted" word', "x=$HOME"]);
    expect(splitArgs(`label pod web a\\ b=c ''`)).toEqual(["label", "pod", "web", "a b=c", ""]);
  });

  it("refuses unterminated quotes and a trailing backslash", () => {
    expect(() => splitArgs(`get 'pods`)).toThrow(ArgsSyntaxError);
    expect(() => splitArgs(`get pods \\`)).toThrow(ArgsSyntaxError);
  });
});

describe("kubectlFileArgs", () => {
  it("finds local files given with -f and --filename, in every spelling", () => {
    expect(kubectlFileArgs(["apply", "-f", "a.yaml", "--filename", "b.yaml", "-fc.yaml", "-f=d.yaml", "--filename=e.yaml,f.yaml"])).toEqual([
      "a.yaml",
      "b.yaml",
      "c.yaml",
      "d.yaml",
      "e.yaml",
      "f.yaml",
    ]);
  });

  it("skips standard input and URLs", () => {
    expect(kubectlFileArgs(["apply", "-f", "-", "-f", "https://example.com/x.yaml", "--force"])).toEqual([]);
  });
});
