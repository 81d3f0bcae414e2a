/*
 * signing_keys.c — generating, sealing, opening and rotating an
 * organisation's signing keys.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "db.h"
#include "signing_keys.h"

#include "mcred/banned.h"

#define SIGNING_KDF_CONTEXT "mcredsig" /* crypto_kdf_CONTEXTBYTES = 8 */
#define SIGNING_KDF_SUBKEY  3

#define P256_PUBLIC_BYTES (2 * MC_JOSE_P256_COORD_BYTES)
#define BOX_MAX           (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 64)

static enum mc_err box_key(const unsigned char *master,
                           unsigned char key[crypto_secretbox_KEYBYTES], struct mc_error *err)
{
    if (crypto_kdf_derive_from_key(key, crypto_secretbox_KEYBYTES, SIGNING_KDF_SUBKEY,
                                   SIGNING_KDF_CONTEXT, master) != 0)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not derive the signing box key");
    return MC_OK;
}

/* nonce ‖ secretbox(secret), as hex into `hex` (2 * BOX_MAX + 1). */
static void seal(const unsigned char key[crypto_secretbox_KEYBYTES], const unsigned char *secret,
                 size_t len, char *hex, size_t hex_size)
{
    unsigned char box[BOX_MAX];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, len, box, key);
    sodium_bin2hex(hex, hex_size, box,
                   crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len);
}

/* Open a hex box holding exactly `len` bytes into `secret`. */
static enum mc_err unseal(const unsigned char key[crypto_secretbox_KEYBYTES], const char *hex,
                          unsigned char *secret, size_t len, struct mc_error *err)
{
    unsigned char box[BOX_MAX];
    size_t n = 0;
    const char *end = NULL;
    size_t want = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
    if (!hex || sodium_hex2bin(box, sizeof box, hex, strlen(hex), NULL, &n, &end) != 0 ||
        *end != '\0' || n != want ||
        crypto_secretbox_open_easy(secret, box + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, box, key) != 0) {
        sodium_memzero(secret, len);
        return mc_error_set(err, MC_ERR_INTERNAL, NULL,
                            "a signing key does not open under MCRED_MASTER_KEY");
    }
    return MC_OK;
}

static bool add_key(cJSON *list, const char *algorithm, const char *key_id, const char *public_hex,
                    const char *box_hex)
{
    cJSON *k = cJSON_CreateObject();
    if (!k || !cJSON_AddItemToArray(list, k))
        return cJSON_Delete(k), false;
    return cJSON_AddStringToObject(k, "algorithm", algorithm) &&
           cJSON_AddStringToObject(k, "key_id", key_id) &&
           cJSON_AddStringToObject(k, "public_key", public_hex) &&
           cJSON_AddStringToObject(k, "secret_box", box_hex);
}

static enum mc_err ed25519_new(const unsigned char key[crypto_secretbox_KEYBYTES], cJSON *list,
                               struct mc_error *err)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char multikey[MC_MULTIKEY_ED25519_MAX], pk_hex[2 * sizeof pk + 1], box_hex[2 * BOX_MAX + 1];
    crypto_sign_keypair(pk, sk);
    seal(key, sk, sizeof sk, box_hex, sizeof box_hex);
    sodium_memzero(sk, sizeof sk);
    sodium_bin2hex(pk_hex, sizeof pk_hex, pk, sizeof pk);
    enum mc_err rc = mc_multikey_encode_ed25519(pk, multikey, err);
    if (rc == MC_OK && !add_key(list, "Ed25519", multikey, pk_hex, box_hex))
        rc = mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    return rc;
}

static enum mc_err p256_new(const unsigned char key[crypto_secretbox_KEYBYTES], cJSON *list,
                            struct mc_error *err)
{
    struct mc_jose_key *es = NULL;
    unsigned char d[MC_JOSE_P256_SCALAR_BYTES], xy[P256_PUBLIC_BYTES];
    char kid[MC_JOSE_THUMBPRINT_LEN + 1], pk_hex[2 * sizeof xy + 1], box_hex[2 * BOX_MAX + 1];
    enum mc_err rc = mc_jose_key_generate(&es, err);
    if (rc == MC_OK)
        rc = mc_jose_key_export_private(es, d, err);
    if (rc == MC_OK) {
        seal(key, d, sizeof d, box_hex, sizeof box_hex);
        sodium_memzero(d, sizeof d);
        rc = mc_jose_key_public_xy(es, xy, xy + MC_JOSE_P256_COORD_BYTES, err);
    }
    if (rc == MC_OK)
        rc = mc_jose_jwk_thumbprint(es, kid, err);
    mc_jose_key_free(es);
    if (rc != MC_OK)
        return rc;
    sodium_bin2hex(pk_hex, sizeof pk_hex, xy, sizeof xy);
    if (!add_key(list, "ES256", kid, pk_hex, box_hex))
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    return MC_OK;
}

enum mc_err signing_keys_generate(const unsigned char *master_key, cJSON **out,
                                  struct mc_error *err)
{
    unsigned char key[crypto_secretbox_KEYBYTES];
    cJSON *list = cJSON_CreateArray();
    if (!list)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = box_key(master_key, key, err);
    if (rc == MC_OK)
        rc = ed25519_new(key, list, err);
    if (rc == MC_OK)
        rc = p256_new(key, list, err);
    sodium_memzero(key, sizeof key);
    if (rc != MC_OK) {
        cJSON_Delete(list);
        return rc;
    }
    *out = list;
    return MC_OK;
}

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static enum mc_err open_ed25519(const unsigned char key[crypto_secretbox_KEYBYTES], const cJSON *k,
                                struct org_keys *out, struct mc_error *err)
{
    const char *id = str_of(k, "key_id");
    if (!id || strlen(id) >= sizeof out->ed_multikey)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "an Ed25519 key has no Multikey");
    enum mc_err rc = unseal(key, str_of(k, "secret_box"), out->ed_sk, sizeof out->ed_sk, err);
    if (rc != MC_OK)
        return rc;
    crypto_sign_ed25519_sk_to_pk(out->ed_pk, out->ed_sk);
    snprintf(out->ed_multikey, sizeof out->ed_multikey, "%s", id);
    return MC_OK;
}

static enum mc_err open_p256(const unsigned char key[crypto_secretbox_KEYBYTES], const cJSON *k,
                             struct org_keys *out, struct mc_error *err)
{
    unsigned char d[MC_JOSE_P256_SCALAR_BYTES];
    const char *id = str_of(k, "key_id");
    if (!id || strlen(id) >= sizeof out->es_kid)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "a P-256 key has no key id");
    enum mc_err rc = unseal(key, str_of(k, "secret_box"), d, sizeof d, err);
    if (rc == MC_OK)
        rc = mc_jose_key_import_private(d, &out->es, err);
    sodium_memzero(d, sizeof d);
    if (rc == MC_OK)
        snprintf(out->es_kid, sizeof out->es_kid, "%s", id);
    return rc;
}

enum mc_err signing_keys_open(const unsigned char *master_key, const cJSON *keys,
                              struct org_keys *out, struct mc_error *err)
{
    unsigned char key[crypto_secretbox_KEYBYTES];
    bool ed = false, es = false;
    memset(out, 0, sizeof *out);
    enum mc_err rc = box_key(master_key, key, err);
    const cJSON *k;
    cJSON_ArrayForEach(k, keys)
    {
        const char *algorithm = str_of(k, "algorithm");
        if (rc != MC_OK || !algorithm)
            break;
        if (strcmp(algorithm, "Ed25519") == 0 && !ed) {
            rc = open_ed25519(key, k, out, err);
            ed = rc == MC_OK;
        } else if (strcmp(algorithm, "ES256") == 0 && !es) {
            rc = open_p256(key, k, out, err);
            es = rc == MC_OK;
        }
    }
    sodium_memzero(key, sizeof key);
    if (rc == MC_OK && (!ed || !es))
        rc = mc_error_set(err, MC_ERR_INTERNAL, NULL, "the organisation lacks a signing key");
    return rc;
}

void org_keys_wipe(struct org_keys *k)
{
    mc_jose_key_free(k->es);
    k->es = NULL;
    sodium_memzero(k->ed_sk, sizeof k->ed_sk);
}

DB_STMT(db_signing_keys_store,
        "SELECT mcred.signing_keys_rotate($1::jsonb, $2) IS NOT NULL AS stored");

struct db_batch signing_keys_store(const char *const params[2], PGresult **out)
{
    return (struct db_batch){&db_signing_keys_store, 2, params, PGRES_TUPLES_OK, out};
}

enum mc_err signing_keys_rotate(struct db_conn *db, const unsigned char *master_key,
                                const char *actor, cJSON **out, struct mc_error *err)
{
    cJSON *keys = NULL;
    enum mc_err rc = signing_keys_generate(master_key, &keys, err);
    if (rc != MC_OK)
        return rc;
    char *text = cJSON_PrintUnformatted(keys);
    if (!text) {
        cJSON_Delete(keys);
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    }
    const char *params[] = {text, actor};
    PGresult *res = NULL;
    struct db_batch store = signing_keys_store(params, &res);
    rc = db_exec(db, store.stmt, store.nparams, store.params, store.expect, &res, err);
    sodium_memzero(text, strlen(text));
    free(text);
    const char *stored = rc == MC_OK ? db_get(res, 0, "stored") : NULL;
    if (rc == MC_OK && (!stored || strcmp(stored, "t") != 0))
        rc = mc_error_set(err, MC_ERR_UNAUTHENTICATED, NULL,
                          "no organisation to make signing keys for");
    PQclear(res);
    if (rc != MC_OK) {
        cJSON_Delete(keys);
        return rc;
    }
    *out = keys; /* as stored: the same algorithms, key ids, public keys and boxes */
    return MC_OK;
}

enum mc_err signing_keys_jwk(const char *public_hex, const char *kid_url, cJSON **out,
                             struct mc_error *err)
{
    unsigned char xy[P256_PUBLIC_BYTES];
    size_t n = 0;
    const char *end = NULL;
    if (!public_hex ||
        sodium_hex2bin(xy, sizeof xy, public_hex, strlen(public_hex), NULL, &n, &end) != 0 ||
        *end != '\0' || n != sizeof xy)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "a stored P-256 key is damaged");
    struct mc_jose_key *key = NULL;
    enum mc_err rc = mc_jose_key_from_public_xy(xy, xy + MC_JOSE_P256_COORD_BYTES, &key, err);
    if (rc == MC_OK)
        rc = mc_jose_jwk_public(key, kid_url, out, err);
    mc_jose_key_free(key);
    return rc;
}
