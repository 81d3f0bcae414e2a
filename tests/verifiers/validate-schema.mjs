#!/usr/bin/env node
// validate-schema.mjs — validate a credential against a JSON Schema
// (draft 2019-09, e.g. the Open Badges 3.0 AchievementCredential schema)
// with Ajv, independently of mcred's own code.
//
//   node validate-schema.mjs SCHEMA.json CREDENTIAL.json
//
// Formats (date-time, date, uri, ...) are checked with ajv-formats.
// Exit 0 if valid ("valid" on stdout); 1 if not, with every error on
// stderr; 2 on a usage error or an unreadable file.
import {readFileSync} from 'node:fs';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const args = process.argv.slice(2);
if(args.length !== 2 || args.some(a => a.startsWith('-'))) {
  console.error('usage: validate-schema.mjs SCHEMA.json CREDENTIAL.json');
  process.exit(2);
}
const [schemaFile, credentialFile] = args;

let schema;
let credential;
try {
  schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  credential = JSON.parse(readFileSync(credentialFile, 'utf8'));
} catch(e) {
  console.error(`validate-schema: ${e.message}`);
  process.exit(2);
}

// Strict, except for the OB 3.0 schema's open-ended 2-tuple `items` on
// @context, which strictTuples would warn about.
const ajv = new Ajv2019({allErrors: true, strict: true, strictTuples: false});
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(schema);
} catch(e) {
  console.error(`validate-schema: cannot compile ${schemaFile}: ${e.message}`);
  process.exit(2);
}

if(validate(credential)) {
  console.log(`valid: ${credentialFile}`);
  process.exit(0);
}
console.error(`invalid: ${credentialFile} against ${schemaFile}`);
for(const e of validate.errors) {
  const at = e.instancePath || '/';
  console.error(`  ${at}: ${e.message} ` +
    `(${e.schemaPath} ${JSON.stringify(e.params)})`);
}
process.exit(1);
