/*
 * rdf.c — datasets of quads, and the IRI tests shared by vc/.
 *
 * A dataset keeps its strings in its own arena and its quads in one array
 * that doubles as it grows, up to MC_RDF_MAX_QUADS.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "vc_internal.h"

#include "mcred/banned.h"

struct mc_rdf_dataset *rdf_dataset_new(void)
{
    struct mc_rdf_dataset *ds = calloc(1, sizeof *ds);
    if (ds)
        arena_init(&ds->arena, MC_JSONLD_MAX_MEMORY);
    return ds;
}

void mc_rdf_dataset_free(struct mc_rdf_dataset *ds)
{
    if (!ds)
        return;
    arena_release(&ds->arena);
    free(ds->quads);
    free(ds);
}

size_t mc_rdf_dataset_size(const struct mc_rdf_dataset *ds)
{
    return ds->n;
}

const struct mc_rdf_quad *mc_rdf_dataset_quad(const struct mc_rdf_dataset *ds, size_t i)
{
    return i < ds->n ? &ds->quads[i] : NULL;
}

size_t rdf_dataset_bnode(struct mc_rdf_dataset *ds)
{
    return ds->bnodes++;
}

enum mc_err rdf_dataset_add(struct mc_rdf_dataset *ds, const struct mc_rdf_quad *q,
                            struct mc_error *err)
{
    if (ds->n == ds->cap) {
        if (ds->cap >= MC_RDF_MAX_QUADS)
            return mc_error_set(err, MC_ERR_TOO_LARGE, NULL, "more than %d quads",
                                MC_RDF_MAX_QUADS);
        size_t cap = ds->cap ? ds->cap * 2 : 64;
        if (cap > MC_RDF_MAX_QUADS)
            cap = MC_RDF_MAX_QUADS;
        struct mc_rdf_quad *quads = realloc(ds->quads, cap * sizeof *quads);
        if (!quads)
            return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
        ds->quads = quads;
        ds->cap = cap;
    }
    ds->quads[ds->n++] = *q;
    return MC_OK;
}

bool iri_is_bnode(const char *s)
{
    return s[0] == '_' && s[1] == ':';
}

/* jsonld.js: /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/ */
bool iri_is_absolute(const char *s)
{
    const char *p = s;
    if (iri_is_bnode(s)) {
        p = s + 2;
    } else {
        if (!isalpha((unsigned char)*p))
            return false;
        while (isalnum((unsigned char)*p) || (*p >= '+' && *p <= '.'))
            p++;
        if (*p != ':')
            return false;
        p++;
    }
    for (; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
            return false;
    }
    return true;
}
