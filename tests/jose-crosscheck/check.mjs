// Verifies with node's `jose` what emit.c produced with mcred_jose: each
// record is three lines (public JWK, VC-JWT, thumbprint) on stdin.
import * as jose from 'jose';
import { readFileSync } from 'node:fs';

const lines = readFileSync(0, 'utf8').trim().split('\n');
let n = 0, padded = 0;
for (let i = 0; i < lines.length; i += 3) {
  const jwk = JSON.parse(lines[i]);
  const sig = Buffer.from(lines[i + 1].split('.')[2], 'base64url');
  if (sig[0] === 0 || sig[32] === 0) padded++;
  const { payload } = await jose.jwtVerify(lines[i + 1], await jose.importJWK(jwk, 'ES256'), {
    algorithms: ['ES256'], typ: 'JWT',
    issuer: 'https://mcred.example/issuers/1', subject: 'did:example:s',
  });
  if (payload.jti !== 'urn:uuid:1' || payload.nbf !== 1577836800 || payload.exp !== 2208988800)
    throw new Error(`claims of record ${n}: ${JSON.stringify(payload)}`);
  if (lines[i + 2] !== await jose.calculateJwkThumbprint(jwk))
    throw new Error(`thumbprint of record ${n}`);
  n++;
}
console.log(`node jose verified ${n} VC-JWTs and thumbprints from mcred_jose ` +
            `(${padded} with R or S below 2^248, so zero-padded)`);
