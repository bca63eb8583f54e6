// ajv verdicts: every event against the exported union schema (after compiling
// every exported file on its own).
//
// Ajv2020 (draft 2020-12) with ajv-formats, so `format: date-time` is asserted.
// Strict mode stays on, since turning it off would also hide real mistakes
// (a misspelt keyword). It needs three things said out loud:
// - the repository's `x-` vocabulary (x-strict, x-quirk, x-known-values, x-case-insensitive,
//   x-quirk-values) is declared with addKeyword as annotation-only keywords;
// - `allowUnionTypes`: strict mode refuses `type: ["string", "null"]` unless
//   told that type arrays are meant, and the schemas use them for nullables;
// - nothing for `discriminator`: ajv's own support (`discriminator: true`)
//   checks it. It needs `type: "object"` beside the discriminator in strict
//   mode, which the export adds (codegen/src/export/compat.rs).
//
// Usage: node check_ajv.mjs EXPORT_DIR EVENTS_JSON OUT_JSON

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [exportDir, eventsPath, outPath] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(join(exportDir, "log_event.schema.json"), "utf8"));
const events = JSON.parse(readFileSync(eventsPath, "utf8"));

function newAjv() {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, discriminator: true });
  addFormats(ajv);
  for (const keyword of ["x-strict", "x-quirk", "x-known-values", "x-quirk-values", "x-case-insensitive"]) {
    ajv.addKeyword({ keyword, schemaType: ["object", "string", "array", "boolean"] });
  }
  return ajv;
}

// Every exported file compiles on its own in strict mode, not only the union.
for (const name of readdirSync(exportDir).filter((n) => n.endsWith(".schema.json")).sort()) {
  newAjv().compile(JSON.parse(readFileSync(join(exportDir, name), "utf8")));
}
const ajv = newAjv();
const validate = ajv.compile(schema);

// Fail loudly rather than pass every timestamp if formats were not asserted.
if (ajv.validate({ type: "string", format: "date-time" }, "2017-02-30T00:00:00Z")) {
  console.error("ajv-formats does not check date-time calendars");
  process.exit(2);
}

const verdicts = {};
for (const record of events) {
  if (validate(record.event)) {
    verdicts[record.name] = { verdict: "accept", detail: "" };
  } else {
    const first = validate.errors[0];
    verdicts[record.name] = { verdict: "reject", detail: `${first.instancePath || "/"}: ${first.keyword}` };
  }
}
writeFileSync(outPath, JSON.stringify({ tool: "node-ajv", verdicts }, null, 1));
