/*
 * contexts.c — the JSON-LD document loader: the four bundled contexts.
 *
 * The bytes are compiled in (vc/embed.cmake makes contexts_data.c from
 * vc/contexts/ at build time), so signing and verifying never depend on
 * the network or on files, and a context cannot change under a signature.
 * Every other URL is refused: fetching contexts at run time would let
 * whoever serves them change what a credential means.
 */
#include <string.h>

#include "mcred/jsonld.h"

#include "mcred/banned.h"

extern const unsigned char mc_ctx_credentials_v2[];
extern const size_t mc_ctx_credentials_v2_len;
extern const unsigned char mc_ctx_ob_v3p0[];
extern const size_t mc_ctx_ob_v3p0_len;
extern const unsigned char mc_ctx_data_integrity_v2[];
extern const size_t mc_ctx_data_integrity_v2_len;
extern const unsigned char mc_ctx_multikey_v1[];
extern const size_t mc_ctx_multikey_v1_len;

struct bundled {
    const char *url;
    const unsigned char *data;
    const size_t *len;
};

static const struct bundled bundled[] = {
    {MC_JSONLD_CREDENTIALS_V2, mc_ctx_credentials_v2, &mc_ctx_credentials_v2_len},
    {MC_JSONLD_OB_V3P0, mc_ctx_ob_v3p0, &mc_ctx_ob_v3p0_len},
    {MC_JSONLD_DATA_INTEGRITY_V2, mc_ctx_data_integrity_v2, &mc_ctx_data_integrity_v2_len},
    {MC_JSONLD_MULTIKEY_V1, mc_ctx_multikey_v1, &mc_ctx_multikey_v1_len},
};

enum mc_err mc_jsonld_document(const char *url, const char **out_text, size_t *out_len,
                               struct mc_error *err)
{
    for (size_t i = 0; i < sizeof bundled / sizeof bundled[0]; i++) {
        if (strcmp(url, bundled[i].url) == 0) {
            *out_text = (const char *)bundled[i].data;
            *out_len = *bundled[i].len;
            return MC_OK;
        }
    }
    return mc_error_set(err, MC_ERR_NOT_FOUND, "@context",
                        "cannot load JSON-LD context \"%.200s\": only bundled contexts are served",
                        url);
}
