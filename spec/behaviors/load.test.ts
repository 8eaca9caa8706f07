import { describe, expect, it } from "vitest";
import { loadCatalogue, type CatalogueFiles } from "./load.ts";

function memoryFiles(files: Record<string, string>): CatalogueFiles {
  return {
    listYaml: (dir) => Object.keys(files).filter((f) => f.startsWith(`${dir}/`) && f.endsWith(".yaml")).sort(),
    readText: (path) => files[path] as string,
    exists: (path) => path in files,
  };
}

const entry = (id: string, extra = "    status: covered\n") => `  - id: ${id}
    title: A behaviour
    components: [store]
    description: The store MUST do it.
    references: [https://etcd.io/docs/v3.4/learning/api/]
${extra}`;

const file = (area: string, ...entries: string[]) =>
  `apiVersion: plumbline.dev/v1alpha1\nkind: BehaviorCatalogue\narea: ${area}\nbehaviors:\n${entries.join("")}`;

describe("the behaviour catalogue", () => {
  it("loads entries with their area, file and line", () => {
    const files = memoryFiles({
      "c/store.yaml": file("store", entry("store.kv.revision", "    status: covered\n    tests: [t/kv.test.ts]\n"), entry("store.lease.expiry", "    status: planned\n    reason: later\n")),
      "t/kv.test.ts": "",
    });
    const { catalogue, errors } = loadCatalogue({ dir: "c", root: "", files });
    expect(errors).toEqual([]);
    expect(catalogue.behaviors.map((b) => [b.id, b.area, b.file, b.line, b.status])).toEqual([
      ["store.kv.revision", "store", "c/store.yaml", 5, "covered"],
      ["store.lease.expiry", "store", "c/store.yaml", 12, "planned"],
    ]);
    expect(catalogue.byId.get("store.kv.revision")?.tests).toEqual(["t/kv.test.ts"]);
  });

  it("reports schema errors, misplaced ids, duplicates, reasons and missing test files", () => {
    const files = memoryFiles({
      "c/store.yaml": file(
        "store",
        entry("store.kv.revision"),
        entry("apiserver.kv.revision"),
        entry("store.txn.atomic", "    status: covered\n    reason: why\n    tests: [t/missing.test.ts]\n"),
      ),
      "c/other.yaml": file("api", entry("api.lease.expiry", "    status: planned\n"), entry("api.x", "    status: done\n")),
    });
    const { errors } = loadCatalogue({ dir: "c", root: "", files });
    expect(errors.map((e) => e.format())).toEqual([
      "c/other.yaml:5:5: behaviors[0]: missing required field `reason`",
      "c/other.yaml:16:13: behaviors[1].status: must be one of covered, planned",
      "c/store.yaml:11:9: behaviors[1].id: id `apiserver.kv.revision` must start with its area: `store.`",
      "c/store.yaml:23:13: behaviors[2].reason: a reason is for planned behaviours; remove it or set status: planned",
      "c/store.yaml:24:13: behaviors[2].tests[0]: no such test file `t/missing.test.ts`",
    ]);
    const valid = memoryFiles({ "c/store.yaml": file("store", entry("store.kv.revision")), "c/api.yaml": file("api", entry("api.kv.x")), "c/misnamed.yaml": file("store", entry("store.kv.revision")) });
    expect(loadCatalogue({ dir: "c", root: "", files: valid }).errors.map((e) => e.format())).toEqual([
      "c/misnamed.yaml:3:7: area: the file of area `store` must be named store.yaml",
      "c/store.yaml:5:9: behaviors[0].id: duplicate id `store.kv.revision` (first at c/misnamed.yaml:5)",
    ]);
  });

  it("the repository's catalogue loads without errors", () => {
    const { catalogue, errors } = loadCatalogue();
    expect(errors.map((e) => e.format())).toEqual([]);
    expect(catalogue.behaviors.length).toBeGreaterThan(20);
    for (const area of ["store", "apiserver"]) expect(catalogue.behaviors.some((b) => b.area === area), area).toBe(true);
  });
});
