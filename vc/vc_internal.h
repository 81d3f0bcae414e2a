/*
 * vc_internal.h — what the files of vc/ share and nobody else needs.
 *
 * An arena gives one JSON-LD or canonicalisation call all its small
 * allocations (term definitions, IRIs, literal text) and frees them in one
 * go; its ceiling bounds the memory a hostile document can make us use.
 * A dataset owns an arena for its strings and a growing array of quads.
 */
#ifndef MCRED_VC_INTERNAL_H
#define MCRED_VC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "mcred/buf.h"
#include "mcred/error.h"
#include "mcred/jsonld.h"

#define RDF_TYPE       "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#define RDF_FIRST      "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
#define RDF_REST       "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
#define RDF_NIL        "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
#define RDF_JSON       "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
#define RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#define XSD_STRING     "http://www.w3.org/2001/XMLSchema#string"
#define XSD_BOOLEAN    "http://www.w3.org/2001/XMLSchema#boolean"
#define XSD_INTEGER    "http://www.w3.org/2001/XMLSchema#integer"
#define XSD_DOUBLE     "http://www.w3.org/2001/XMLSchema#double"

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
    size_t total; /* bytes taken from malloc so far */
    size_t max;
};

void arena_init(struct arena *a, size_t max);
void arena_release(struct arena *a);
/* Zeroed, aligned memory, or NULL when out of memory or past the ceiling. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* s1 followed by s2, NUL-terminated. */
char *arena_concat(struct arena *a, const char *s1, const char *s2);

struct mc_rdf_dataset {
    struct arena arena;
    struct mc_rdf_quad *quads;
    size_t n, cap;
    size_t bnodes; /* labels 0 … bnodes-1 are in use */
};

struct mc_rdf_dataset *rdf_dataset_new(void);
size_t rdf_dataset_bnode(struct mc_rdf_dataset *ds);
enum mc_err rdf_dataset_add(struct mc_rdf_dataset *ds, const struct mc_rdf_quad *q,
                            struct mc_error *err);

/* An IRI with a scheme (or a blank node "_:…") and no white space, the
 * test jsonld.js applies before a term may appear in RDF. */
bool iri_is_absolute(const char *s);
bool iri_is_bnode(const char *s);

/*
 * Append `t` in canonical N-Quads form.  A blank node is written with
 * `label` ("c14n3", "a", …) instead of its number when label is not NULL,
 * else as "b<number>".
 */
enum mc_err nquads_term(struct mc_buf *b, const struct mc_rdf_term *t, const char *label);

/* The JSON Canonicalization Scheme (RFC 8785) text of `item`. */
enum mc_err jcs_serialize(const cJSON *item, struct mc_buf *out);

#endif
