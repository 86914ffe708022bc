// The published JSON Schemas and the records as JavaScript tools see them: ajv (JSON Schema
// 2020-12, patterns as ECMA-262 with the `u` flag) and the `yaml` package (YAML 1.2, what
// editors use). One process answers a whole request, so the tests start node once.
//
// stdin:  {"schemas": {name: file}, "records": [{"path": file, "schema": name}],
//          "scalars": [text], "patterns": {pattern: [text]}}
// stdout: {"schemas": {name: {"ok", "error"}}, "records": [{"path", "parse_errors", "data",
//          "valid", "errors"}], "scalars": [[type, text]], "patterns": {pattern: [bool]}}
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import YAML from "yaml";

const request = JSON.parse(readFileSync(0, "utf8"));

// strict: anything ajv would only warn about (unknown keywords, ambiguous types) is an error
function compile(file) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, "utf8")));
}

const validators = {};
const schemas = {};
for (const [name, file] of Object.entries(request.schemas ?? {})) {
  try {
    validators[name] = compile(file);
    schemas[name] = { ok: true, error: null };
  } catch (err) {
    schemas[name] = { ok: false, error: String(err.message ?? err) };
  }
}

const records = (request.records ?? []).map(({ path, schema }) => {
  const doc = YAML.parseDocument(readFileSync(path, "utf8"));
  const parse_errors = doc.errors.map((e) => e.message.split("\n")[0]);
  if (parse_errors.length) return { path, parse_errors, data: null, valid: null, errors: [] };
  const data = doc.toJS();
  const validate = validators[schema];
  if (!validate) return { path, parse_errors, data, valid: null, errors: [`no schema ${schema}`] };
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
  return { path, parse_errors, data, valid, errors };
});

// each text as a plain scalar (a list item), resolved by YAML 1.2's core schema
const scalars = (request.scalars ?? []).map((text) => {
  const doc = YAML.parseDocument(`- ${text}\n`);
  const node = doc.contents?.items?.[0];
  if (doc.errors.length || !YAML.isScalar(node) || node.type !== "PLAIN" || node.source !== text) {
    return ["not a plain scalar", text];
  }
  const value = node.value;
  return [value === null ? "null" : typeof value, String(value)];
});

const patterns = {};
for (const [pattern, texts] of Object.entries(request.patterns ?? {})) {
  const re = new RegExp(pattern, "u");
  patterns[pattern] = texts.map((t) => re.test(t));
}

process.stdout.write(JSON.stringify({ schemas, records, scalars, patterns }));
