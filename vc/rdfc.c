/*
 * rdfc.c — RDF Dataset Canonicalization, RDFC-1.0 (W3C Recommendation,
 * https://www.w3.org/TR/rdf-canon/), with SHA-256 from libsodium.
 *
 * Blank nodes are numbers here (struct mc_rdf_term.bnode), so identifier
 * issuers are two arrays: the numbers in the order they were issued, and
 * for each blank node its issued number or NONE.  Step numbers in comments
 * are those of the Recommendation (§4.4 canonicalization, §4.6 Hash First
 * Degree Quads, §4.7 Hash Related Blank Node, §4.8 Hash N-Degree Quads).
 *
 * Hash N-Degree Quads is exponential for some graphs (the "poison"
 * datasets of the test suite).  Each call and each permutation it tries
 * counts against MC_RDFC_MAX_WORK; past it the call fails, as the
 * Recommendation's §5 (Security Considerations) asks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mcred/rdfc.h"
#include "vc_internal.h"

#include "mcred/banned.h"

#define NONE   SIZE_MAX
#define HEXLEN (crypto_hash_sha256_BYTES * 2 + 1)

struct issuer {
    size_t counter;
    size_t *order; /* blank nodes in the order their identifiers were issued */
    size_t *id_of; /* per blank node: the issued number, or NONE */
};

struct canon {
    const struct mc_rdf_dataset *ds;
    size_t nb;     /* blank node numbers in use: 0 … nb-1 */
    size_t *quads; /* the distinct quads (indices into ds) */
    size_t nq;
    size_t **bq; /* per blank node: the quads it is in */
    size_t *nbq;
    char (*h1)[HEXLEN]; /* per blank node: its first-degree hash */
    struct issuer canonical;
    size_t work;
    struct mc_error *err;
};

/* ---- identifier issuers ------------------------------------------------- */

static bool issuer_init(struct issuer *is, size_t nb)
{
    is->counter = 0;
    is->order = malloc((nb ? nb : 1) * sizeof *is->order);
    is->id_of = malloc((nb ? nb : 1) * sizeof *is->id_of);
    if (!is->order || !is->id_of) {
        free(is->order);
        free(is->id_of);
        is->order = is->id_of = NULL;
        return false;
    }
    for (size_t i = 0; i < nb; i++)
        is->id_of[i] = NONE;
    return true;
}

static void issuer_release(struct issuer *is)
{
    free(is->order);
    free(is->id_of);
    is->order = is->id_of = NULL;
}

static bool issuer_copy(struct issuer *dst, const struct issuer *src, size_t nb)
{
    if (!issuer_init(dst, nb))
        return false;
    dst->counter = src->counter;
    memcpy(dst->order, src->order, src->counter * sizeof *src->order);
    memcpy(dst->id_of, src->id_of, nb * sizeof *src->id_of);
    return true;
}

/* §4.5 Issue Identifier: the existing number, or the next one. */
static size_t issuer_issue(struct issuer *is, size_t bnode)
{
    if (is->id_of[bnode] == NONE) {
        is->id_of[bnode] = is->counter;
        is->order[is->counter++] = bnode;
    }
    return is->id_of[bnode];
}

/* ---- N-Quads lines -------------------------------------------------------- */

enum label_mode { LABEL_RAW, LABEL_FIRST_DEGREE, LABEL_CANONICAL };

static enum mc_err term_out(const struct canon *c, struct mc_buf *b, const struct mc_rdf_term *t,
                            enum label_mode mode, size_t ref)
{
    char label[32];
    if (t->kind != MC_RDF_BNODE)
        return nquads_term(b, t, NULL);
    if (mode == LABEL_FIRST_DEGREE)
        snprintf(label, sizeof label, "%s", t->bnode == ref ? "a" : "z");
    else if (mode == LABEL_CANONICAL)
        snprintf(label, sizeof label, "c14n%zu", c->canonical.id_of[t->bnode]);
    else
        snprintf(label, sizeof label, "b%zu", t->bnode);
    return nquads_term(b, t, label);
}

static enum mc_err quad_line(const struct canon *c, struct mc_buf *b, const struct mc_rdf_quad *q,
                             enum label_mode mode, size_t ref)
{
    enum mc_err rc = term_out(c, b, &q->s, mode, ref);
    if (rc == MC_OK)
        rc = mc_buf_appendc(b, ' ');
    if (rc == MC_OK)
        rc = term_out(c, b, &q->p, mode, ref);
    if (rc == MC_OK)
        rc = mc_buf_appendc(b, ' ');
    if (rc == MC_OK)
        rc = term_out(c, b, &q->o, mode, ref);
    if (rc == MC_OK && q->g.kind != MC_RDF_DEFAULT_GRAPH) {
        rc = mc_buf_appendc(b, ' ');
        if (rc == MC_OK)
            rc = term_out(c, b, &q->g, mode, ref);
    }
    return rc == MC_OK ? mc_buf_appends(b, " .\n") : rc;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines of the given quads, sorted; free each and the array. */
static enum mc_err sorted_lines(const struct canon *c, const size_t *idx, size_t n,
                                enum label_mode mode, size_t ref, char ***out)
{
    char **lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        return MC_ERR_NOMEM;
    struct mc_buf b;
    mc_buf_init(&b, MC_JSONLD_MAX_MEMORY);
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        mc_buf_reset(&b);
        rc = quad_line(c, &b, &c->ds->quads[idx[i]], mode, ref);
        if (rc == MC_OK) {
            lines[i] = strdup(b.data);
            if (!lines[i])
                rc = MC_ERR_NOMEM;
        }
    }
    mc_buf_release(&b);
    if (rc != MC_OK) {
        for (size_t i = 0; i < n; i++)
            free(lines[i]);
        free(lines);
        return rc;
    }
    qsort(lines, n, sizeof *lines, cmp_lines);
    *out = lines;
    return MC_OK;
}

static void free_lines(char **lines, size_t n)
{
    for (size_t i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

static void sha256_hex(const char *data, size_t len, char out[HEXLEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)data, len);
    sodium_bin2hex(out, HEXLEN, h, sizeof h);
}

static enum mc_err fail(struct canon *c, enum mc_err code)
{
    if (code == MC_ERR_TOO_LARGE)
        return mc_error_set(c->err, code, NULL,
                            "cannot canonicalize the dataset: it needs more than %d steps of "
                            "blank node hashing",
                            MC_RDFC_MAX_WORK);
    return mc_error_set(c->err, code, NULL, NULL);
}

/* ---- the hashes ------------------------------------------------------------ */

/* §4.6 Hash First Degree Quads. */
static enum mc_err hash_first_degree(struct canon *c, size_t n, char out[HEXLEN])
{
    char **lines = NULL;
    enum mc_err rc = sorted_lines(c, c->bq[n], c->nbq[n], LABEL_FIRST_DEGREE, n, &lines);
    if (rc != MC_OK)
        return rc;
    struct mc_buf b;
    mc_buf_init(&b, MC_JSONLD_MAX_MEMORY);
    for (size_t i = 0; rc == MC_OK && i < c->nbq[n]; i++)
        rc = mc_buf_appends(&b, lines[i]);
    if (rc == MC_OK)
        sha256_hex(b.data, b.len, out);
    mc_buf_release(&b);
    free_lines(lines, c->nbq[n]);
    return rc;
}

/* §4.7 Hash Related Blank Node. */
static enum mc_err hash_related(struct canon *c, size_t related, const struct mc_rdf_quad *q,
                                const struct issuer *issuer, char position, char out[HEXLEN])
{
    struct mc_buf b;
    mc_buf_init(&b, MC_JSONLD_MAX_MEMORY);
    enum mc_err rc = mc_buf_appendc(&b, position);
    if (rc == MC_OK && position != 'g')
        rc = mc_buf_appendf(&b, "<%s>", q->p.value);
    if (rc == MC_OK) {
        if (c->canonical.id_of[related] != NONE)
            rc = mc_buf_appendf(&b, "_:c14n%zu", c->canonical.id_of[related]);
        else if (issuer->id_of[related] != NONE)
            rc = mc_buf_appendf(&b, "_:b%zu", issuer->id_of[related]);
        else
            rc = mc_buf_appends(&b, c->h1[related]);
    }
    if (rc == MC_OK)
        sha256_hex(b.data, b.len, out);
    mc_buf_release(&b);
    return rc;
}

/* Related blank nodes grouped by hash (§4.8 steps 1–3). */
struct related {
    char hash[HEXLEN];
    size_t bnode;
};

static int cmp_related(const void *a, const void *b)
{
    const struct related *x = a, *y = b;
    int r = strcmp(x->hash, y->hash);
    return r ? r : (x->bnode > y->bnode) - (x->bnode < y->bnode);
}

static enum mc_err related_of(struct canon *c, size_t n, const struct issuer *issuer,
                              struct related **out, size_t *out_n)
{
    struct related *rel = calloc(c->nbq[n] * 3 + 1, sizeof *rel);
    if (!rel)
        return MC_ERR_NOMEM;
    size_t nr = 0;
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < c->nbq[n]; i++) {
        const struct mc_rdf_quad *q = &c->ds->quads[c->bq[n][i]];
        const struct mc_rdf_term *comp[3] = {&q->s, &q->o, &q->g};
        const char pos[3] = {'s', 'o', 'g'};
        for (int k = 0; rc == MC_OK && k < 3; k++) {
            if (comp[k]->kind != MC_RDF_BNODE || comp[k]->bnode == n)
                continue;
            rel[nr].bnode = comp[k]->bnode;
            rc = hash_related(c, comp[k]->bnode, q, issuer, pos[k], rel[nr].hash);
            nr++;
        }
    }
    if (rc != MC_OK) {
        free(rel);
        return rc;
    }
    /* A blank node related twice under one hash is listed twice (§4.8 step 3). */
    qsort(rel, nr, sizeof *rel, cmp_related);
    *out = rel;
    *out_n = nr;
    return MC_OK;
}

/* The next permutation of p[0..n) in lexicographic order; false after the last. */
static bool next_permutation(size_t *p, size_t n)
{
    if (n < 2)
        return false;
    size_t i = n - 1;
    while (i > 0 && p[i - 1] >= p[i])
        i--;
    if (i == 0)
        return false;
    size_t j = n - 1;
    while (p[j] <= p[i - 1])
        j--;
    size_t t = p[i - 1];
    p[i - 1] = p[j];
    p[j] = t;
    for (size_t a = i, b = n - 1; a < b; a++, b--) {
        t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
    return true;
}

static enum mc_err hash_ndegree(struct canon *c, size_t n, struct issuer *issuer, char out[HEXLEN]);

/* One permutation (§4.8 steps 5.4.1–5.4.5).  *skipped when it cannot win. */
static enum mc_err try_permutation(struct canon *c, const size_t *perm, size_t k,
                                   const struct issuer *issuer, const struct mc_buf *chosen,
                                   struct mc_buf *path, struct issuer *copy, bool *skipped)
{
    *skipped = false;
    if (!issuer_copy(copy, issuer, c->nb))
        return MC_ERR_NOMEM;
    size_t *recursion = malloc((k ? k : 1) * sizeof *recursion);
    if (!recursion)
        return MC_ERR_NOMEM;
    size_t nrec = 0;
    enum mc_err rc = MC_OK;
    mc_buf_reset(path);
    for (size_t i = 0; rc == MC_OK && i < k; i++) {
        size_t related = perm[i];
        if (c->canonical.id_of[related] != NONE) {
            rc = mc_buf_appendf(path, "_:c14n%zu", c->canonical.id_of[related]);
        } else {
            if (copy->id_of[related] == NONE)
                recursion[nrec++] = related;
            rc = mc_buf_appendf(path, "_:b%zu", issuer_issue(copy, related));
        }
        if (rc == MC_OK && chosen->len && strcmp(path->data, chosen->data) > 0) {
            *skipped = true;
            goto out;
        }
    }
    for (size_t i = 0; rc == MC_OK && i < nrec; i++) {
        char h[HEXLEN];
        rc = hash_ndegree(c, recursion[i], copy, h);
        if (rc == MC_OK)
            rc = mc_buf_appendf(path, "_:b%zu<%s>", issuer_issue(copy, recursion[i]), h);
        if (rc == MC_OK && chosen->len && strcmp(path->data, chosen->data) > 0) {
            *skipped = true;
            goto out;
        }
    }
out:
    free(recursion);
    return rc;
}

/* §4.8 steps 5.2–5.6 for the blank nodes of one related hash. */
static enum mc_err choose_path(struct canon *c, const struct related *group, size_t k,
                               struct issuer *issuer, struct mc_buf *chosen)
{
    size_t *perm = malloc(k * sizeof *perm);
    if (!perm)
        return MC_ERR_NOMEM;
    for (size_t i = 0; i < k; i++)
        perm[i] = group[i].bnode; /* sorted ascending: the first permutation */
    struct issuer chosen_issuer = {0};
    bool have_chosen = false;
    struct mc_buf path;
    mc_buf_init(&path, MC_JSONLD_MAX_MEMORY);
    enum mc_err rc = MC_OK;
    mc_buf_reset(chosen);
    do {
        /* a permutation copies an issuer: O(blank nodes) */
        c->work += 1 + c->nb / 256;
        if (c->work > MC_RDFC_MAX_WORK) {
            rc = MC_ERR_TOO_LARGE;
            break;
        }
        struct issuer copy = {0};
        bool skipped = false;
        rc = try_permutation(c, perm, k, issuer, chosen, &path, &copy, &skipped);
        if (rc == MC_OK && !skipped && (!have_chosen || strcmp(path.data, chosen->data) < 0)) {
            mc_buf_reset(chosen);
            rc = mc_buf_append(chosen, path.data, path.len);
            issuer_release(&chosen_issuer);
            chosen_issuer = copy;
            have_chosen = true;
        } else {
            issuer_release(&copy);
        }
    } while (rc == MC_OK && next_permutation(perm, k));
    mc_buf_release(&path);
    free(perm);
    if (rc == MC_OK && have_chosen) {
        issuer_release(issuer);
        *issuer = chosen_issuer;
    } else {
        issuer_release(&chosen_issuer);
    }
    return rc;
}

/* §4.8 Hash N-Degree Quads; `issuer` is replaced by the chosen issuer. */
static enum mc_err hash_ndegree(struct canon *c, size_t n, struct issuer *issuer, char out[HEXLEN])
{
    if (++c->work > MC_RDFC_MAX_WORK)
        return MC_ERR_TOO_LARGE;
    struct related *rel = NULL;
    size_t nr = 0;
    enum mc_err rc = related_of(c, n, issuer, &rel, &nr);
    if (rc != MC_OK)
        return rc;
    struct mc_buf data, chosen;
    mc_buf_init(&data, MC_JSONLD_MAX_MEMORY);
    mc_buf_init(&chosen, MC_JSONLD_MAX_MEMORY);
    for (size_t i = 0; rc == MC_OK && i < nr;) { /* 5: per related hash, in order */
        size_t j = i;
        while (j < nr && strcmp(rel[j].hash, rel[i].hash) == 0)
            j++;
        rc = mc_buf_appends(&data, rel[i].hash); /* 5.1 */
        if (rc == MC_OK)
            rc = choose_path(c, rel + i, j - i, issuer, &chosen);
        if (rc == MC_OK) /* 5.5 */
            rc = mc_buf_append(&data, chosen.data, chosen.len);
        i = j;
    }
    if (rc == MC_OK)
        sha256_hex(data.data, data.len, out);
    mc_buf_release(&data);
    mc_buf_release(&chosen);
    free(rel);
    return rc;
}

/* ---- the algorithm (§4.4) -------------------------------------------------- */

struct keyed {
    char *key;
    size_t idx;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    return r ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

/* A dataset is a set: keep one of each quad, compared by their text. */
static enum mc_err distinct_quads(struct canon *c)
{
    size_t n = c->ds->n;
    struct keyed *k = calloc(n ? n : 1, sizeof *k);
    c->quads = malloc((n ? n : 1) * sizeof *c->quads);
    if (!k || !c->quads) {
        free(k);
        return MC_ERR_NOMEM;
    }
    struct mc_buf b;
    mc_buf_init(&b, MC_JSONLD_MAX_MEMORY);
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < n; i++) {
        mc_buf_reset(&b);
        rc = quad_line(c, &b, &c->ds->quads[i], LABEL_RAW, 0);
        k[i].idx = i;
        if (rc == MC_OK && !(k[i].key = strdup(b.data)))
            rc = MC_ERR_NOMEM;
    }
    mc_buf_release(&b);
    if (rc == MC_OK) {
        qsort(k, n, sizeof *k, cmp_keyed);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || strcmp(k[i - 1].key, k[i].key) != 0)
                c->quads[c->nq++] = k[i].idx;
    }
    for (size_t i = 0; i < n; i++)
        free(k[i].key);
    free(k);
    return rc;
}

/* Step 2: the quads each blank node is in. */
static enum mc_err index_bnodes(struct canon *c)
{
    c->nbq = calloc(c->nb ? c->nb : 1, sizeof *c->nbq);
    c->bq = calloc(c->nb ? c->nb : 1, sizeof *c->bq);
    c->h1 = calloc(c->nb ? c->nb : 1, sizeof *c->h1);
    if (!c->nbq || !c->bq || !c->h1)
        return MC_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < c->nq; i++) {
            const struct mc_rdf_quad *q = &c->ds->quads[c->quads[i]];
            const struct mc_rdf_term *comp[3] = {&q->s, &q->o, &q->g};
            for (int k = 0; k < 3; k++) {
                if (comp[k]->kind != MC_RDF_BNODE)
                    continue;
                size_t bn = comp[k]->bnode;
                /* a quad is listed once per blank node, however often it names it */
                bool dup = false;
                for (int m = 0; m < k; m++)
                    dup = dup || (comp[m]->kind == MC_RDF_BNODE && comp[m]->bnode == bn);
                if (dup)
                    continue;
                if (pass == 1)
                    c->bq[bn][c->nbq[bn]] = c->quads[i];
                c->nbq[bn]++;
            }
        }
        if (pass == 0) {
            for (size_t bn = 0; bn < c->nb; bn++) {
                c->bq[bn] = malloc((c->nbq[bn] ? c->nbq[bn] : 1) * sizeof **c->bq);
                if (!c->bq[bn])
                    return MC_ERR_NOMEM;
                c->nbq[bn] = 0;
            }
        }
    }
    return MC_OK;
}

struct by_h1 {
    const char *h1;
    size_t bnode;
};

static int cmp_by_h1(const void *a, const void *b)
{
    const struct by_h1 *x = a, *y = b;
    int r = strcmp(x->h1, y->h1);
    return r ? r : (x->bnode > y->bnode) - (x->bnode < y->bnode);
}

/* Sort blank nodes by first-degree hash, then number. */
static enum mc_err sort_by_h1(const struct canon *c, size_t *v, size_t n)
{
    struct by_h1 *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return MC_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        k[i] = (struct by_h1){.h1 = c->h1[v[i]], .bnode = v[i]};
    qsort(k, n, sizeof *k, cmp_by_h1);
    for (size_t i = 0; i < n; i++)
        v[i] = k[i].bnode;
    free(k);
    return MC_OK;
}

struct path_result {
    size_t seq; /* position in the group, to keep the sort stable */
    char hash[HEXLEN];
    struct issuer issuer;
};

static int cmp_path_result(const void *a, const void *b)
{
    const struct path_result *x = a, *y = b;
    int r = strcmp(x->hash, y->hash);
    return r ? r : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Step 5: blank nodes with a shared first-degree hash (§4.4.3 step 5). */
static enum mc_err canon_shared(struct canon *c, const size_t *group, size_t k)
{
    struct path_result *res = calloc(k, sizeof *res);
    if (!res)
        return MC_ERR_NOMEM;
    size_t nres = 0;
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < k; i++) { /* 5.2 */
        size_t n = group[i];
        if (c->canonical.id_of[n] != NONE)
            continue;
        c->work += 1 + c->nb / 256; /* a new issuer is O(blank nodes) */
        if (c->work > MC_RDFC_MAX_WORK) {
            rc = MC_ERR_TOO_LARGE;
            break;
        }
        res[nres].seq = nres;
        if (!issuer_init(&res[nres].issuer, c->nb)) {
            rc = MC_ERR_NOMEM;
            break;
        }
        issuer_issue(&res[nres].issuer, n);
        rc = hash_ndegree(c, n, &res[nres].issuer, res[nres].hash);
        nres++;
    }
    if (rc == MC_OK) { /* 5.3 */
        /* equal hashes keep their order, as in the reference code */
        qsort(res, nres, sizeof *res, cmp_path_result);
        for (size_t i = 0; i < nres; i++)
            for (size_t j = 0; j < res[i].issuer.counter; j++)
                issuer_issue(&c->canonical, res[i].issuer.order[j]);
    }
    for (size_t i = 0; i < nres; i++)
        issuer_release(&res[i].issuer);
    free(res);
    return rc;
}

static enum mc_err canon_run(struct canon *c, char **out)
{
    enum mc_err rc = distinct_quads(c);
    if (rc == MC_OK)
        rc = index_bnodes(c);
    if (rc != MC_OK)
        return rc;
    if (!issuer_init(&c->canonical, c->nb))
        return MC_ERR_NOMEM;
    size_t *order = malloc((c->nb ? c->nb : 1) * sizeof *order);
    if (!order)
        return MC_ERR_NOMEM;
    size_t nused = 0;
    for (size_t bn = 0; rc == MC_OK && bn < c->nb; bn++) { /* 3 */
        if (c->nbq[bn] == 0)
            continue; /* numbered but in no quad */
        rc = hash_first_degree(c, bn, c->h1[bn]);
        order[nused++] = bn;
    }
    if (rc == MC_OK)
        rc = sort_by_h1(c, order, nused);
    for (size_t i = 0; rc == MC_OK && i < nused;) { /* 4: unique hashes first */
        size_t j = i;
        while (j < nused && strcmp(c->h1[order[j]], c->h1[order[i]]) == 0)
            j++;
        if (j - i == 1)
            issuer_issue(&c->canonical, order[i]);
        i = j;
    }
    for (size_t i = 0; rc == MC_OK && i < nused;) { /* 5: then the shared ones */
        size_t j = i;
        while (j < nused && strcmp(c->h1[order[j]], c->h1[order[i]]) == 0)
            j++;
        if (j - i > 1)
            rc = canon_shared(c, order + i, j - i);
        i = j;
    }
    free(order);
    if (rc != MC_OK)
        return rc;
    char **lines = NULL; /* 6 */
    rc = sorted_lines(c, c->quads, c->nq, LABEL_CANONICAL, 0, &lines);
    if (rc != MC_OK)
        return rc;
    struct mc_buf b;
    mc_buf_init(&b, MC_JSONLD_MAX_MEMORY);
    for (size_t i = 0; rc == MC_OK && i < c->nq; i++)
        rc = mc_buf_appends(&b, lines[i]);
    free_lines(lines, c->nq);
    if (rc == MC_OK) {
        *out = mc_buf_detach(&b, NULL);
        if (!*out)
            rc = MC_ERR_NOMEM;
    }
    mc_buf_release(&b);
    return rc;
}

enum mc_err mc_rdfc_canonize_dataset(const struct mc_rdf_dataset *ds, char **out,
                                     struct mc_error *err)
{
    if (sodium_init() < 0)
        return mc_error_set(err, MC_ERR_INTERNAL, NULL, "could not initialise libsodium");
    struct canon c = {.ds = ds, .nb = ds->bnodes, .err = err};
    char *result = NULL;
    enum mc_err rc = canon_run(&c, &result);
    for (size_t i = 0; c.bq && i < c.nb; i++)
        free(c.bq[i]);
    free(c.bq);
    free(c.nbq);
    free(c.h1);
    free(c.quads);
    issuer_release(&c.canonical);
    if (rc != MC_OK)
        return fail(&c, rc);
    *out = result;
    return MC_OK;
}

enum mc_err mc_rdfc_canonize(const cJSON *jsonld_doc, char **nquads_out, struct mc_error *err)
{
    struct mc_rdf_dataset *ds = NULL;
    enum mc_err rc = mc_jsonld_to_rdf(jsonld_doc, &ds, err);
    if (rc != MC_OK)
        return rc;
    rc = mc_rdfc_canonize_dataset(ds, nquads_out, err);
    mc_rdf_dataset_free(ds);
    return rc;
}
