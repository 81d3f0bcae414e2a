#!/usr/bin/env node
// selftest-helper.mjs — makes the keys, tokens and credentials that
// selftest.sh checks the verifiers with, and serves files over loopback.
// Not used by mcred's C tests.
//
//   node selftest-helper.mjs jwt OUTDIR
//       ES256 key pair (kid = http://127.0.0.1/keys/selftest) and tokens:
//       jwk.json, jwks.json (public), other-jwk.json (another key, same
//       kid), good.jwt, tampered.jwt (payload changed), typ.jwt (typ
//       vc+jwt), hs256.jwt (alg HS256), future.jwt (nbf in an hour).
//   node selftest-helper.mjs di OUTDIR BASE CONTEXTS_DIR CREDENTIAL
//       Ed25519 Multikey; BASE/issuers/selftest's controller document at
//       OUTDIR/issuers/selftest; CREDENTIAL re-issued by that issuer and
//       signed (eddsa-rdfc-2022) as OUTDIR/signed.json, with `proof` as
//       an array (proof-array.json), and with a 1EdTechRevocationList
//       credentialStatus plus the undefined-terms/v2 context
//       (status.json). Prints whether the status without that context
//       could be signed ("bare-status: ...").
//   node selftest-helper.mjs serve DIR
//       Serves DIR's files on 127.0.0.1 (a free port, printed on the first
//       line of stdout) until killed, or for 120 s at most.
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import * as jose from 'jose';

const UNDEFINED_TERMS_V2 =
  'https://www.w3.org/ns/credentials/undefined-terms/v2';
const UNDEFINED_TERMS_V2_FILE = new URL(
  './node_modules/@digitalbazaar/credentials-context/contexts/' +
  'undefined-terms-v2.jsonld', import.meta.url);

const [cmd, ...args] = process.argv.slice(2);

function write(dir, name, value) {
  const text = typeof value === 'string' ? value + '\n' :
    JSON.stringify(value, null, 2) + '\n';
  writeFileSync(path.join(dir, name), text);
}

async function jwt(outDir) {
  mkdirSync(outDir, {recursive: true});
  const kid = 'http://127.0.0.1/keys/selftest';
  const {publicKey, privateKey} =
    await jose.generateKeyPair('ES256', {extractable: true});
  const jwk = {...await jose.exportJWK(publicKey), kid, alg: 'ES256',
    use: 'sig'};
  write(outDir, 'jwk.json', jwk);
  write(outDir, 'jwks.json', {keys: [jwk]});
  const other = await jose.generateKeyPair('ES256', {extractable: true});
  write(outDir, 'other-jwk.json',
    {...await jose.exportJWK(other.publicKey), kid, alg: 'ES256'});

  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: 'http://127.0.0.1/issuers/selftest',
    jti: 'urn:uuid:5b8a6c1e-0000-4000-8000-000000000001',
    sub: 'did:example:ebfeb1f712ebc6f1c276e12ec21',
    nbf: now,
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: {type: ['AchievementSubject']},
    },
  };
  const sign = (p, header = {}) => new jose.SignJWT(p)
    .setProtectedHeader({alg: 'ES256', typ: 'JWT', kid, ...header})
    .sign(privateKey);
  const good = await sign(payload);
  write(outDir, 'good.jwt', good);
  // Same header and signature, payload with another jti.
  const [h, , s] = good.split('.');
  const forged = jose.base64url.encode(JSON.stringify(
    {...payload, jti: 'urn:uuid:5b8a6c1e-0000-4000-8000-000000000002'}));
  write(outDir, 'tampered.jwt', `${h}.${forged}.${s}`);
  write(outDir, 'typ.jwt', await sign(payload, {typ: 'vc+jwt'}));
  write(outDir, 'future.jwt', await sign({...payload, nbf: now + 3600}));
  write(outDir, 'hs256.jwt', await new jose.SignJWT(payload)
    .setProtectedHeader({alg: 'HS256', typ: 'JWT', kid})
    .sign(new Uint8Array(32)));
}

async function di(outDir, base, contextsDir, credentialFile) {
  const vc = await import('@digitalbazaar/vc');
  const {DataIntegrityProof} = await import('@digitalbazaar/data-integrity');
  const {cryptosuite} =
    await import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
  const Ed25519Multikey = await import('@digitalbazaar/ed25519-multikey');
  const {default: jsigs} = await import('jsonld-signatures');

  const issuer = `${base.replace(/\/$/, '')}/issuers/selftest`;
  const key = await Ed25519Multikey.generate({controller: issuer});
  key.id = `${issuer}#${key.publicKeyMultibase}`;
  const controllerDoc = {
    '@context': ['https://w3id.org/security/v2',
      'https://w3id.org/security/multikey/v1'],
    id: issuer,
    verificationMethod: [{
      id: key.id,
      type: 'Multikey',
      controller: issuer,
      publicKeyMultibase: key.publicKeyMultibase,
    }],
    assertionMethod: [key.id],
  };
  mkdirSync(path.join(outDir, 'issuers'), {recursive: true});
  write(outDir, 'issuers/selftest', controllerDoc);

  const files = {
    'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json':
      'ob-v3p0-context-3.0.3.json',
    'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
    'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  };
  const documentLoader = async url => {
    if(url === UNDEFINED_TERMS_V2) {
      return {contextUrl: null, documentUrl: url, document:
        JSON.parse(readFileSync(UNDEFINED_TERMS_V2_FILE, 'utf8'))};
    }
    if(files[url]) {
      return {contextUrl: null, documentUrl: url, document:
        JSON.parse(readFileSync(path.join(contextsDir, files[url]), 'utf8'))};
    }
    return jsigs.strictDocumentLoader(url);
  };

  const credential = JSON.parse(readFileSync(credentialFile, 'utf8'));
  delete credential.proof;
  credential.id = 'urn:uuid:5b8a6c1e-0000-4000-8000-000000000003';
  credential.issuer = {...credential.issuer, id: issuer};
  const suite = () => new DataIntegrityProof({signer: key.signer(),
    cryptosuite});
  const signed = await vc.issue({credential, suite: suite(), documentLoader});
  write(outDir, 'signed.json', signed);
  write(outDir, 'proof-array.json', {...signed, proof: [signed.proof]});

  // The status entry mcred will add; the verifier must not choke on it.
  // With these contexts the bare type "1EdTechRevocationList" expands to
  // no IRI (neither credentials/v2 nor the OB 3.0.3 context defines it,
  // and credentials/v2 has no @vocab), so safe-mode canonicalisation
  // refuses it: signed with the undefined-terms/v2 context added, it works.
  const status = {
    id: `${base}/status/revocation-list#1`,
    type: '1EdTechRevocationList',
  };
  try {
    await vc.issue({credential: {...credential, credentialStatus: status},
      suite: suite(), documentLoader});
    console.log('bare-status: signed');
  } catch(e) {
    console.log(`bare-status: refused (${e.message} ` +
      `${JSON.stringify(e.details?.event?.details || {})})`);
  }
  const withStatus = {
    ...credential,
    '@context': [...credential['@context'], UNDEFINED_TERMS_V2],
    credentialStatus: status,
  };
  write(outDir, 'status.json', await vc.issue({credential: withStatus,
    suite: suite(), documentLoader}));
}

function serve(dir) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const p = path.resolve(root, '.' + decodeURIComponent(
      new URL(req.url, 'http://x').pathname));
    if(!p.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(p);
      res.writeHead(200, {'content-type': 'application/json'}).end(body);
    } catch{
      res.writeHead(404).end();
    }
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(server.address().port);
  });
  setTimeout(() => process.exit(0), 120000).unref();
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

try {
  if(cmd === 'jwt' && args.length === 1) {
    await jwt(args[0]);
  } else if(cmd === 'di' && args.length === 4) {
    await di(...args);
  } else if(cmd === 'serve' && args.length === 1) {
    serve(args[0]);
  } else {
    console.error('usage: selftest-helper.mjs jwt OUTDIR | ' +
      'di OUTDIR BASE CONTEXTS_DIR CREDENTIAL | serve DIR');
    process.exit(2);
  }
} catch(e) {
  console.error(`selftest-helper: ${e && e.stack || e}`);
  process.exit(1);
}
