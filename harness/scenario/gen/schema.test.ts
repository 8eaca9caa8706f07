import { readFileSync } from "node:fs";
import { dirname, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileSchema } from "../../../spec/schemas/validate.ts";
import { findScenarioFiles } from "../discover.ts";
import { generatedSchemas } from "./schema.ts";

const scenariosDir = fileURLToPath(new URL("../../../scenarios/", import.meta.url));

describe("generated schemas", () => {
  it("are committed as the generator writes them (run `npx tsx harness/scenario/gen/schema.ts` after a format change)", () => {
    for (const { path, text } of generatedSchemas()) expect(readFileSync(path, "utf8"), path).toBe(text);
  });

  it("the committed scenario schema accepts every scenario file, as an editor would check it", () => {
    const [scenarioSchema] = generatedSchemas();
    const validate = compileSchema(JSON.parse(readFileSync(scenarioSchema?.path as string, "utf8")));
    const files = findScenarioFiles(scenariosDir);
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const schemaPath = relative(dirname(file), scenarioSchema?.path as string).split(sep).join("/");
      expect(text.split("\n")[0], `${file} starts with the yaml-language-server modeline`).toBe(`# yaml-language-server: $schema=${schemaPath}`);
      expect(validate(parse(text)) ? [] : validate.errors, file).toEqual([]);
    }
  });
});
