/*
 * rdfc.h — RDF Dataset Canonicalization (W3C RDFC-1.0, SHA-256).
 *
 * The canonical form is canonical N-Quads: blank nodes relabelled
 * _:c14n0, _:c14n1 … by the algorithm, each quad on a line ending in
 * "\n", duplicates removed, lines sorted in code point order.  The work
 * of Hash N-Degree Quads is bounded (MC_RDFC_MAX_WORK): a dataset that
 * needs more fails with MC_ERR_TOO_LARGE instead of running for ever.
 */
#ifndef MCRED_RDFC_H
#define MCRED_RDFC_H

#include <cjson/cJSON.h>

#include "mcred/error.h"
#include "mcred/jsonld.h"

/* Canonical N-Quads of `ds` in *out (free() it); *out is set only on success. */
enum mc_err mc_rdfc_canonize_dataset(const struct mc_rdf_dataset *ds, char **out,
                                     struct mc_error *err) __attribute__((warn_unused_result));

/* mc_jsonld_to_rdf() then mc_rdfc_canonize_dataset(). */
enum mc_err mc_rdfc_canonize(const cJSON *jsonld_doc, char **nquads_out, struct mc_error *err)
    __attribute__((warn_unused_result));

#endif
