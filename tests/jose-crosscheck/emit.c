/*
 * emit.c — for tests/jose-crosscheck/run: make a fresh key and print its
 * public JWK, a VC-JWT it signed and its RFC 7638 thumbprint, one per line,
 * for node's `jose` to check.
 */
#include <stdio.h>
#include <stdlib.h>
#include "mcred/jose.h"

#include "mcred/banned.h"
int main(void)
{
    struct mc_error err;
    struct mc_jose_key *key = NULL;
    if (mc_jose_key_generate(&key, &err) != MC_OK)
        return 1;
    cJSON *jwk = NULL;
    char tp[MC_JOSE_THUMBPRINT_LEN + 1];
    if (mc_jose_jwk_thumbprint(key, tp, &err) != MC_OK)
        return 1;
    char kid[256];
    snprintf(kid, sizeof kid, "https://mcred.example/keys/%s", tp);
    if (mc_jose_jwk_public(key, kid, &jwk, &err) != MC_OK)
        return 1;
    char *j = cJSON_PrintUnformatted(jwk);
    cJSON *cred = cJSON_Parse(
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"id\":\"urn:uuid:1\","
        "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],\"issuer\":{\"id\":\"https://"
        "mcred.example/issuers/1\"},"
        "\"validFrom\":\"2020-01-01T00:00:00Z\",\"validUntil\":\"2040-01-01T00:00:00Z\",\"name\":"
        "\"caf\\u00e9 \\u2713\","
        "\"credentialSubject\":{\"id\":\"did:example:s\"}}");
    char *jwt = NULL;
    if (mc_vcjwt_sign(cred, key, kid, &jwt, &err) != MC_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    printf("%s\n%s\n%s\n", j, jwt, tp);
    free(j);
    free(jwt);
    cJSON_Delete(cred);
    cJSON_Delete(jwk);
    mc_jose_key_free(key);
    return 0;
}
