#!/usr/bin/env node
// verify-di.mjs — verify the embedded Data Integrity proof
// (DataIntegrityProof, cryptosuite eddsa-rdfc-2022) of a credential with
// Digital Bazaar's libraries, independently of mcred's own code.
//
//   node verify-di.mjs CREDENTIAL.json --contexts DIR
//        [--controller URL=FILE ...] [--context URL=FILE ...]
//        [--fetch-base http://127.0.0.1:PORT[/PATH]]
//
// Every document comes from a local document loader; nothing is fetched
// from the internet:
//  - the four JSON-LD contexts, read from DIR by their usual file names;
//  - extra contexts given with --context URL=FILE;
//  - https://w3id.org/security/v1 and /v2, bundled with jsonld-signatures
//    (its controller check frames the controller document with v2), and
//    https://www.w3.org/ns/credentials/undefined-terms/v2, bundled with
//    @digitalbazaar/credentials-context (a bare credentialStatus type such
//    as 1EdTechRevocationList needs its @vocab to canonicalise);
//  - controller documents: from the files given with --controller, or,
//    only with --fetch-base and only for URLs under that loopback base,
//    over HTTP from that base.
// Any other URL makes the loader throw, and verification fails.
//
// Status (credentialStatus, e.g. 1EdTechRevocationList) is NOT checked:
// the checkStatus given to the library accepts any status and says so.
// mcred's tests check revocation through `mcred verify`.
//
// Prints the result as JSON on stdout. Exit 0 only if verified; 1 if not;
// 2 on a usage error.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json':
    'ob-v3p0-context-3.0.3.json',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
};
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';
// Contexts that jsonld-signatures itself bundles; only these are taken
// from it.
const BUNDLED = new Set([
  'https://w3id.org/security/v1',
  'https://w3id.org/security/v2',
]);

const UNDEFINED_TERMS_V2 =
  'https://www.w3.org/ns/credentials/undefined-terms/v2';
const UNDEFINED_TERMS_V2_FILE = new URL(
  './node_modules/@digitalbazaar/credentials-context/contexts/' +
  'undefined-terms-v2.jsonld', import.meta.url);

function usage(msg) {
  if(msg) {
    console.error(`verify-di: ${msg}`);
  }
  console.error('usage: verify-di.mjs CREDENTIAL.json --contexts DIR ' +
    '[--controller URL=FILE ...] [--context URL=FILE ...] ' +
    '[--fetch-base http://127.0.0.1:PORT]');
  process.exit(2);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function parseArgs(argv) {
  const opts = {controllers: new Map(), contexts: new Map()};
  const pair = (arg, flag) => {
    const i = arg.indexOf('=');
    if(i <= 0 || i === arg.length - 1) {
      usage(`${flag} wants URL=FILE, got "${arg}"`);
    }
    return [arg.slice(0, i), arg.slice(i + 1)];
  };
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if(i + 1 >= argv.length) {
        usage(`${a} needs a value`);
      }
      return argv[++i];
    };
    if(a === '--contexts') {
      opts.contextDir = next();
    } else if(a === '--controller') {
      const [url, file] = pair(next(), a);
      opts.controllers.set(stripFragment(url), readJson(file));
    } else if(a === '--context') {
      const [url, file] = pair(next(), a);
      opts.contexts.set(url, readJson(file));
    } else if(a === '--fetch-base') {
      opts.fetchBase = next();
    } else if(a === '-h' || a === '--help') {
      usage();
    } else if(a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if(opts.credential === undefined) {
      opts.credential = a;
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if(!opts.credential) {
    usage('no credential file');
  }
  if(!opts.contextDir) {
    usage('--contexts DIR is required');
  }
  return opts;
}

function stripFragment(url) {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

// The fetch base must be plain http on a loopback address; a URL is under
// it when scheme, host and port match and its path starts with the base's.
function parseFetchBase(base) {
  let u;
  try {
    u = new URL(base);
  } catch{
    usage(`--fetch-base: not a URL: ${base}`);
  }
  const loopback = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/;
  if(u.protocol !== 'http:' || !loopback.test(u.hostname) ||
    u.search || u.hash || u.username || u.password) {
    usage(`--fetch-base must be http://<loopback>:PORT[/PATH], got ${base}`);
  }
  const prefix = u.pathname.endsWith('/') ? u.pathname : u.pathname + '/';
  return {origin: u.origin, prefix};
}

function underBase(url, base) {
  let u;
  try {
    u = new URL(url);
  } catch{
    return false;
  }
  return u.origin === base.origin && !u.username && !u.password &&
    (u.pathname + '/').startsWith(base.prefix);
}

async function fetchJson(url) {
  const res = await fetch(url, {
    headers: {accept: 'application/ld+json, application/json'},
    redirect: 'error',
    signal: AbortSignal.timeout(10000),
  });
  if(!res.ok) {
    throw new Error(`GET ${url}: HTTP ${res.status}`);
  }
  return res.json();
}

// Find the verification method `id` in a controller document: in
// `verificationMethod`, or embedded in a verification relationship.
function findVerificationMethod(doc, id) {
  const base = doc.id;
  const nodes = [];
  for(const key of ['verificationMethod', 'assertionMethod',
    'authentication']) {
    const v = doc[key];
    for(const n of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      if(n && typeof n === 'object') {
        nodes.push(n);
      }
    }
  }
  return nodes.find(n => {
    if(typeof n.id !== 'string') {
      return false;
    }
    try {
      return new URL(n.id, base).href === new URL(id).href;
    } catch{
      return false;
    }
  });
}

function makeDocumentLoader(opts) {
  const contexts = new Map();
  for(const [url, file] of Object.entries(CONTEXT_FILES)) {
    contexts.set(url, readJson(path.join(opts.contextDir, file)));
  }
  for(const [url, doc] of opts.contexts) {
    contexts.set(url, doc);
  }
  const base = opts.fetchBase ? parseFetchBase(opts.fetchBase) : null;
  const fetched = new Map();

  async function controllerDocument(url) {
    if(opts.controllers.has(url)) {
      return opts.controllers.get(url);
    }
    if(base && underBase(url, base)) {
      if(!fetched.has(url)) {
        fetched.set(url, fetchJson(url));
      }
      return fetched.get(url);
    }
    throw new Error(`document loader refuses ${url}: not a known context, ` +
      'not a --controller, and not under --fetch-base');
  }

  return async function documentLoader(url) {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(BUNDLED.has(url)) {
      return jsigs.strictDocumentLoader(url);
    }
    if(url === UNDEFINED_TERMS_V2) {
      return {contextUrl: null, documentUrl: url,
        document: readJson(UNDEFINED_TERMS_V2_FILE)};
    }
    const docUrl = stripFragment(url);
    const doc = await controllerDocument(docUrl);
    if(doc === null || typeof doc !== 'object' || doc.id !== docUrl) {
      throw new Error(`controller document at ${docUrl} has id ` +
        `${JSON.stringify(doc && doc.id)}, not ${JSON.stringify(docUrl)}`);
    }
    if(docUrl === url) {
      return {contextUrl: null, documentUrl: url, document: doc};
    }
    const vm = findVerificationMethod(doc, url);
    if(!vm) {
      throw new Error(`no verification method ${url} in ${docUrl}`);
    }
    // A node taken out of its document needs a context of its own;
    // Ed25519Multikey.from() wants the Multikey context in it.
    return {
      contextUrl: null,
      documentUrl: url,
      document: {'@context': MULTIKEY_V1, ...vm, id: url},
    };
  };
}

// Status is deliberately not checked here (see the header comment).
async function skipStatus({credential}) {
  const entries = [].concat(credential.credentialStatus || []);
  return {
    verified: true,
    skipped: true,
    note: 'credentialStatus not checked by verify-di.mjs (types: ' +
      entries.map(e => e && e.type).join(', ') + ')',
  };
}

function summarize(result) {
  const errors = [];
  const walk = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e)) {
      e.forEach(walk);
      return;
    }
    if(e.errors) {
      walk(e.errors);
    }
    errors.push(e.message || String(e));
    // jsonld's safe mode says which term or value it could not map.
    const ev = e.details && e.details.event;
    if(ev) {
      errors.push(`  ${ev.code}: ${ev.message || ''} ` +
        JSON.stringify(ev.details || {}));
    }
    if(e.cause) {
      walk(e.cause);
    }
  };
  walk(result.error);
  for(const r of result.results || []) {
    walk(r.error);
    if(r.purposeResult) {
      walk(r.purposeResult.error);
    }
  }
  return {
    verified: !!result.verified,
    proofs: (result.results || []).map(r => ({
      verified: r.verified,
      verificationMethod: r.verificationMethod && r.verificationMethod.id,
      controller: r.purposeResult && r.purposeResult.controller &&
        r.purposeResult.controller.id,
    })),
    status: result.statusResult,
    errors: [...new Set(errors)],
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const credential = readJson(opts.credential);
  const documentLoader = makeDocumentLoader(opts);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  let result;
  try {
    result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus: skipStatus,
    });
  } catch(e) {
    result = {verified: false, error: e};
  }
  const out = summarize(result);
  console.log(JSON.stringify(out, null, 2));
  process.exit(out.verified ? 0 : 1);
}

main().catch(e => {
  console.error(`verify-di: ${e && e.stack || e}`);
  process.exit(1);
});
