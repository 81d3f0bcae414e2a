#!/usr/bin/env node
// verify-jwt.mjs — verify a VC-JWT (ES256) with `jose`, independently of
// mcred's own code.
//
//   node verify-jwt.mjs JWT_FILE --jwks URL_OR_FILE
//
// URL_OR_FILE holds either one public JWK or a JWKS ({"keys": [...]});
// a URL must be plain http on a loopback address (127.0.0.0/8, localhost,
// [::1]). The key is chosen by the header's `kid` (a single JWK without a
// `kid` matches any). Checks: signature, alg ES256 only, header typ "JWT",
// and jose's time claims (exp, nbf) with 60 s of clock tolerance.
// Prints the header and the payload's iss, jti, sub and nbf as JSON.
// Exit 0 only if valid; 1 if not; 2 on a usage error or an unreadable key.
import {readFileSync} from 'node:fs';
import {createLocalJWKSet, jwtVerify, decodeProtectedHeader} from 'jose';

function usage(msg) {
  if(msg) {
    console.error(`verify-jwt: ${msg}`);
  }
  console.error('usage: verify-jwt.mjs JWT_FILE --jwks URL_OR_FILE');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {};
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if(a === '--jwks') {
      if(i + 1 >= argv.length) {
        usage('--jwks needs a value');
      }
      opts.jwks = argv[++i];
    } else if(a === '-h' || a === '--help') {
      usage();
    } else if(a.startsWith('-')) {
      usage(`unknown option ${a}`);
    } else if(opts.jwtFile === undefined) {
      opts.jwtFile = a;
    } else {
      usage(`unexpected argument ${a}`);
    }
  }
  if(!opts.jwtFile) {
    usage('no JWT file');
  }
  if(!opts.jwks) {
    usage('--jwks URL_OR_FILE is required');
  }
  return opts;
}

async function loadKeys(source) {
  let doc;
  if(/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    const u = new URL(source);
    const loopback = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/;
    if(u.protocol !== 'http:' || !loopback.test(u.hostname)) {
      usage(`--jwks: only http URLs on a loopback address, got ${source}`);
    }
    const res = await fetch(u, {
      headers: {accept: 'application/jwk+json, application/jwk-set+json, ' +
        'application/json'},
      redirect: 'error',
      signal: AbortSignal.timeout(10000),
    });
    if(!res.ok) {
      throw new Error(`GET ${source}: HTTP ${res.status}`);
    }
    doc = await res.json();
  } else {
    doc = JSON.parse(readFileSync(source, 'utf8'));
  }
  if(doc && Array.isArray(doc.keys)) {
    return doc;
  }
  if(doc && typeof doc.kty === 'string') {
    return {keys: [doc]};
  }
  throw new Error(`${source} holds neither a JWK nor a JWKS`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const jwt = readFileSync(opts.jwtFile, 'utf8').trim();
  let jwks;
  try {
    jwks = await loadKeys(opts.jwks);
    for(const k of jwks.keys) {
      if(k.d !== undefined) {
        throw new Error('the key set holds a private key');
      }
    }
  } catch(e) {
    console.error(`verify-jwt: ${e.message}`);
    process.exit(2);
  }
  try {
    const {payload, protectedHeader} = await jwtVerify(
      jwt, createLocalJWKSet(jwks), {
        algorithms: ['ES256'],
        typ: 'JWT',
        clockTolerance: 60,
      });
    console.log(JSON.stringify({
      verified: true,
      header: protectedHeader,
      iss: payload.iss,
      jti: payload.jti,
      sub: payload.sub,
      nbf: payload.nbf,
      nbf_iso: typeof payload.nbf === 'number' ?
        new Date(payload.nbf * 1000).toISOString() : undefined,
    }, null, 2));
    process.exit(0);
  } catch(e) {
    let header;
    try {
      header = decodeProtectedHeader(jwt);
    } catch{
      header = null;
    }
    console.log(JSON.stringify({
      verified: false,
      header,
      error: `${e.code || e.name}: ${e.message}`,
    }, null, 2));
    process.exit(1);
  }
}

main().catch(e => {
  console.error(`verify-jwt: ${e && e.stack || e}`);
  process.exit(1);
});
