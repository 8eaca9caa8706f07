// Writes the JSON Schemas of the file formats, generated from their TypeScript builders:
//   spec/schemas/scenario.schema.json            (harness/scenario/format.ts)
//   spec/schemas/behavior-catalogue.schema.json  (spec/behaviors/catalogue.ts)
// Run it after changing a format and commit the output; schema.test.ts fails while they differ:
//
//   npx tsx harness/scenario/gen/schema.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { catalogueSchemaDocument } from "../../../spec/behaviors/catalogue.ts";
import { renderSchema } from "../../../spec/schemas/builder.ts";
import { scenarioSchemaDocument } from "../format.ts";

/** Each generated schema file (absolute path) and its text. */
export function generatedSchemas(): { path: string; text: string }[] {
  const at = (name: string) => fileURLToPath(new URL(`../../../spec/schemas/${name}`, import.meta.url));
  return [
    { path: at("scenario.schema.json"), text: renderSchema(scenarioSchemaDocument()) },
    { path: at("behavior-catalogue.schema.json"), text: renderSchema(catalogueSchemaDocument()) },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, text } of generatedSchemas()) {
    writeFileSync(path, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
