/*
 * jsonld.h — JSON-LD 1.1 to RDF, for the credentials mcred signs.
 *
 * mc_jsonld_to_rdf() runs the JSON-LD 1.1 Expansion algorithm and then
 * "Deserialize JSON-LD to RDF" (JSON-LD 1.1 Processing Algorithms and API,
 * §5.1 and §8.1), producing a dataset of quads.  It implements what the
 * W3C Verifiable Credentials 2.0, Open Badges 3.0, Data Integrity and
 * Multikey contexts use (see vc/jsonld.c for the list) and refuses, with
 * an error, the few JSON-LD features those contexts and our credentials do
 * not need, rather than guess.
 *
 * Contexts come only from mc_jsonld_document(): the four bundled, const
 * documents.  Any other URL is an error; nothing is ever fetched.
 */
#ifndef MCRED_JSONLD_H
#define MCRED_JSONLD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/error.h"

/* The JSON-LD context URLs served from the library. */
#define MC_JSONLD_CREDENTIALS_V2    "https://www.w3.org/ns/credentials/v2"
#define MC_JSONLD_OB_V3P0           "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#define MC_JSONLD_DATA_INTEGRITY_V2 "https://w3id.org/security/data-integrity/v2"
#define MC_JSONLD_MULTIKEY_V1       "https://w3id.org/security/multikey/v1"

/*
 * The document loader: the bundled text of `url` (not NUL-terminated; it
 * lives as long as the program).  Any URL but the four above fails with
 * MC_ERR_NOT_FOUND and a message naming it.
 */
enum mc_err mc_jsonld_document(const char *url, const char **out_text, size_t *out_len,
                               struct mc_error *err) __attribute__((warn_unused_result));

enum mc_rdf_kind {
    MC_RDF_DEFAULT_GRAPH = 0, /* only as a quad's graph */
    MC_RDF_IRI,
    MC_RDF_BNODE,
    MC_RDF_LITERAL,
};

struct mc_rdf_term {
    enum mc_rdf_kind kind;
    const char *value;    /* IRI, or a literal's lexical form; NULL otherwise */
    size_t len;           /* bytes of value: a literal may hold U+0000 */
    const char *datatype; /* literal: its datatype IRI, never NULL */
    const char *language; /* literal: lowercase language tag, or NULL */
    size_t bnode;         /* MC_RDF_BNODE: the blank node's number in its dataset */
};

struct mc_rdf_quad {
    struct mc_rdf_term s, p, o, g;
};

/* A set of quads and the memory behind them. */
struct mc_rdf_dataset;

size_t mc_rdf_dataset_size(const struct mc_rdf_dataset *ds);
const struct mc_rdf_quad *mc_rdf_dataset_quad(const struct mc_rdf_dataset *ds, size_t i);
void mc_rdf_dataset_free(struct mc_rdf_dataset *ds);

/*
 * Expand `doc` (a JSON-LD document: an object or an array) and turn it into
 * RDF.  Terms that do not expand to IRIs are dropped, as JSON-LD says; an
 * invalid context, a context URL that is not bundled, an unsupported
 * feature, input nested deeper than MC_JSONLD_MAX_DEPTH or work past the
 * limits in limits.h are errors (MC_ERR_INVALID, MC_ERR_NOT_FOUND,
 * MC_ERR_TOO_LARGE, MC_ERR_NOMEM).  *out (free with mc_rdf_dataset_free)
 * is set only on success.
 */
enum mc_err mc_jsonld_to_rdf(const cJSON *doc, struct mc_rdf_dataset **out, struct mc_error *err)
    __attribute__((warn_unused_result));

/*
 * Parse N-Quads text (RDF 1.1 N-Quads: IRIs, blank nodes, literals with
 * escapes, language tags and datatypes, comments).  Blank node labels are
 * numbered in order of first appearance.  MC_ERR_MALFORMED names the line.
 */
enum mc_err mc_nquads_parse(const char *text, size_t len, struct mc_rdf_dataset **out,
                            struct mc_error *err) __attribute__((warn_unused_result));

#endif
