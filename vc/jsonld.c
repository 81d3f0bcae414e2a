/*
 * jsonld.c — JSON-LD 1.1 expansion and "Deserialize JSON-LD to RDF".
 *
 * The pieces follow the JSON-LD 1.1 Processing Algorithms and API
 * (https://www.w3.org/TR/json-ld11-api/) and keep its step numbers in
 * comments where that helps a reader check them:
 *   - context processing (§4.1) and term definitions (§4.2), with
 *     @protected, @propagate, @version, @vocab, @language, @direction,
 *     type-scoped and property-scoped contexts and remote (bundled) ones;
 *   - IRI expansion (§5.2) with compact IRIs and terms as prefixes;
 *   - expansion (§5.1) and value expansion (§5.3), with the containers
 *     @set, @list, @graph and @language, @json literals and blank nodes;
 *   - toRdf (§8.1): quads straight from the expanded form, in the graph
 *     each node object sits in, with RDF lists, typed literals and the
 *     canonical xsd:double / xsd:integer / rdf:JSON lexical forms.
 *
 * Refused with an error, because neither the bundled contexts nor our
 * credentials use them and guessing would sign something other than what
 * a verifier reads: @base with a value, @import, @reverse, @nest,
 * @included, redefining @type, property-valued @index, and index, id and
 * type maps (@container @index/@id/@type with a map value).  @direction is
 * kept through expansion but, as with jsonld.js's default (rdfDirection
 * unset), does not reach the RDF.  Without a base IRI,
 * relative IRIs stay relative and are dropped from the RDF, as jsonld.js
 * does when no base is given.
 *
 * Everything a call allocates for contexts lives in one arena (bounded by
 * MC_JSONLD_MAX_MEMORY); the expanded document is cJSON.  No state
 * outlives a call, so calls on different threads do not meet.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vc_internal.h"

#include "mcred/banned.h"

enum {
    CONT_SET = 1 << 0,
    CONT_LIST = 1 << 1,
    CONT_GRAPH = 1 << 2,
    CONT_LANGUAGE = 1 << 3,
    CONT_INDEX = 1 << 4,
    CONT_ID = 1 << 5,
    CONT_TYPE = 1 << 6,
};

struct term_def {
    const char *id;        /* IRI, blank node, keyword, or NULL when the term maps to null */
    const char *type;      /* @id, @vocab, @json, @none or an IRI; NULL if none */
    const char *language;  /* meaningful when has_language; NULL is an explicit null */
    const char *direction; /* likewise */
    const cJSON *context;  /* the scoped context (may be JSON null) when has_context */
    unsigned container;
    bool has_language, has_direction, has_context;
    bool protect, prefix;
};

struct term_entry {
    const char *name;
    const struct term_def *def;
};

struct ctx {
    struct term_entry *terms;
    size_t n, cap;
    const char *vocab;          /* NULL if none */
    const char *language;       /* default language, NULL if none */
    const char *direction;      /* default direction, NULL if none */
    const struct ctx *previous; /* before a type-scoped context, which does not propagate */
};

/* The remote contexts met on the way to the current one (cycle guard). */
struct remote {
    const char *urls[MC_JSONLD_MAX_CONTEXTS];
    size_t n;
};

#define N_BUNDLED 4

struct ld {
    struct arena arena;
    struct mc_error *err;
    enum mc_err code; /* the first error, MC_OK while there is none */
    struct {
        const char *url;
        cJSON *doc;
    } loaded[N_BUNDLED]; /* contexts parsed during this call */
    size_t depth;
    size_t term_defs; /* term definitions created so far, bounded */
};

/* ---- errors -------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static enum mc_err ld_fail(struct ld *ld, enum mc_err code,
                                                                 const char *fmt, ...)
{
    if (ld->code != MC_OK)
        return ld->code;
    ld->code = code;
    if (ld->err && fmt) {
        va_list ap;
        va_start(ap, fmt);
        (void)mc_error_setv(ld->err, code, NULL, fmt, ap);
        va_end(ap);
    } else {
        (void)mc_error_set(ld->err, code, NULL, NULL);
    }
    return code;
}

static enum mc_err ld_nomem(struct ld *ld)
{
    return ld_fail(ld, MC_ERR_NOMEM,
                   "could not allocate memory for JSON-LD processing "
                   "(or the document needs more than the limit)");
}

/* A JSON-LD error: the spec's error code, then what it concerns. */
#define ld_invalid(ld, code_name, fmt, ...)                                                        \
    ld_fail((ld), MC_ERR_INVALID, "invalid JSON-LD: " code_name ": " fmt, __VA_ARGS__)

#define ld_unsupported(ld, what)                                                                   \
    ld_fail((ld), MC_ERR_INVALID, "unsupported JSON-LD feature: %s", what)

/* ---- small helpers --------------------------------------------------- */

static const char *const keywords[] = {
    "@base",   "@container", "@context", "@direction", "@graph",     "@id",
    "@import", "@included",  "@index",   "@json",      "@language",  "@list",
    "@nest",   "@none",      "@prefix",  "@propagate", "@protected", "@reverse",
    "@set",    "@type",      "@value",   "@version",   "@vocab",
};

static bool is_keyword(const char *s)
{
    if (!s || s[0] != '@')
        return false;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(s, keywords[i]) == 0)
            return true;
    return false;
}

/* "@" followed by letters only: reserved for future keywords, ignored. */
static bool looks_like_keyword(const char *s)
{
    if (s[0] != '@' || !s[1])
        return false;
    for (const char *p = s + 1; *p; p++)
        if (!isalpha((unsigned char)*p))
            return false;
    return true;
}

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool str_eq_nullable(const char *a, const char *b)
{
    return (!a && !b) || streq(a, b);
}

static char *lowercase(struct ld *ld, const char *s)
{
    char *p = arena_strdup(&ld->arena, s);
    if (!p) {
        ld_nomem(ld);
        return NULL;
    }
    for (char *q = p; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return p;
}

/* ---- active contexts ------------------------------------------------- */

static const struct term_def *ctx_term(const struct ctx *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->terms[i].name, name) == 0)
            return c->terms[i].def;
    return NULL;
}

static bool ctx_has_protected(const struct ctx *c)
{
    /* terms is not NULL while n > 0 (ctx_set grows it before n++, ctx_clone copies it);
     * the analyzer loses that across ctx_set's calls */
    for (size_t i = 0; i < c->n; i++)
        if (c->terms[i].def->protect) /* NOLINT(clang-analyzer-core.NullDereference) */
            return true;
    return false;
}

static struct ctx *ctx_new(struct ld *ld)
{
    struct ctx *c = arena_alloc(&ld->arena, sizeof *c);
    if (!c)
        ld_nomem(ld);
    return c;
}

static struct ctx *ctx_clone(struct ld *ld, const struct ctx *src)
{
    struct ctx *c = ctx_new(ld);
    if (!c)
        return NULL;
    *c = *src;
    c->terms = NULL;
    c->cap = src->n;
    if (src->n) {
        c->terms = arena_alloc(&ld->arena, src->n * sizeof *c->terms);
        if (!c->terms) {
            ld_nomem(ld);
            return NULL;
        }
        /* src->n > 0, so src->terms is not NULL (see ctx_has_protected) */
        memcpy(c->terms, src->terms, /* NOLINT(clang-analyzer-core.NonNullParamChecker) */
               src->n * sizeof *c->terms);
    }
    return c;
}

static void ctx_remove(struct ctx *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcmp(c->terms[i].name, name) == 0) {
            c->terms[i] = c->terms[--c->n];
            return;
        }
    }
}

static bool ctx_set(struct ld *ld, struct ctx *c, const char *name, const struct term_def *def)
{
    ctx_remove(c, name);
    if (c->n >= MC_JSONLD_MAX_TERMS) {
        ld_fail(ld, MC_ERR_TOO_LARGE, "more than %d terms in one JSON-LD context",
                MC_JSONLD_MAX_TERMS);
        return false;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        struct term_entry *terms = arena_alloc(&ld->arena, cap * sizeof *terms);
        if (!terms) {
            ld_nomem(ld);
            return false;
        }
        if (c->n)
            memcpy(terms, c->terms, c->n * sizeof *terms);
        c->terms = terms;
        c->cap = cap;
    }
    c->terms[c->n].name = name;
    c->terms[c->n].def = def;
    c->n++;
    return true;
}

/* ---- the document loader, with a per-call cache ------------------------ */

static const cJSON *load_context(struct ld *ld, const char *url)
{
    for (size_t i = 0; i < N_BUNDLED; i++)
        if (ld->loaded[i].url && strcmp(ld->loaded[i].url, url) == 0)
            return cJSON_GetObjectItemCaseSensitive(ld->loaded[i].doc, "@context");
    const char *text = NULL;
    size_t len = 0;
    struct mc_error lerr;
    mc_error_clear(&lerr);
    if (mc_jsonld_document(url, &text, &len, &lerr) != MC_OK) {
        ld_fail(ld, lerr.code, "%s", lerr.message);
        return NULL;
    }
    size_t slot = 0;
    while (slot < N_BUNDLED && ld->loaded[slot].url)
        slot++;
    cJSON *doc = cJSON_ParseWithLength(text, len);
    if (!doc || slot == N_BUNDLED) {
        cJSON_Delete(doc);
        ld_nomem(ld);
        return NULL;
    }
    ld->loaded[slot].url = url;
    ld->loaded[slot].doc = doc;
    const cJSON *ctx = cJSON_GetObjectItemCaseSensitive(doc, "@context");
    if (!ctx) {
        ld_invalid(ld, "invalid remote context", "%s has no @context", url);
        return NULL;
    }
    return ctx;
}

/* ---- context processing (§4.1) and term definitions (§4.2) ------------- */

/* Which terms of one local context are being or have been defined. */
struct defined {
    const char **names;
    unsigned char *state; /* 1: in progress, 2: done */
    size_t n, cap;
};

static unsigned char defined_get(const struct defined *d, const char *name)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->names[i], name) == 0)
            return d->state[i];
    return 0;
}

static bool defined_put(struct ld *ld, struct defined *d, const char *name, unsigned char state)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strcmp(d->names[i], name) == 0) {
            d->state[i] = state;
            return true;
        }
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        const char **names = arena_alloc(&ld->arena, cap * sizeof *names);
        unsigned char *state_arr = arena_alloc(&ld->arena, cap);
        if (!names || !state_arr) {
            ld_nomem(ld);
            return false;
        }
        if (d->n) {
            memcpy(names, d->names, d->n * sizeof *names);
            memcpy(state_arr, d->state, d->n);
        }
        d->names = names;
        d->state = state_arr;
        d->cap = cap;
    }
    d->names[d->n] = name;
    d->state[d->n] = state;
    d->n++;
    return true;
}

static struct ctx *process_context(struct ld *ld, const struct ctx *active, const cJSON *local,
                                   const struct remote *remote, bool override_protected,
                                   bool propagate, bool validate_scoped);

static bool create_term(struct ld *ld, struct ctx *active, const cJSON *local, const char *term,
                        struct defined *defined, bool protect_default, bool override_protected,
                        const struct remote *remote, bool validate_scoped);

/* IRI expansion (§5.2.2).  NULL is both "null" and an error: check ld->code. */
static const char *expand_iri_local(struct ld *ld, struct ctx *active, const char *value,
                                    bool vocab, const cJSON *local, struct defined *defined,
                                    const struct remote *remote)
{
    if (!value || is_keyword(value))
        return value;
    if (looks_like_keyword(value))
        return NULL;
    /* 3: define a term of the local context that is used before its turn */
    if (local && cJSON_GetObjectItemCaseSensitive(local, value) &&
        defined_get(defined, value) != 2) {
        if (!create_term(ld, active, local, value, defined, false, false, remote, true))
            return NULL;
    }
    const struct term_def *td = ctx_term(active, value);
    if (td && is_keyword(td->id)) /* 4 */
        return td->id;
    if (vocab && td) /* 5 */
        return td->id;
    const char *colon = strchr(value + 1, ':');
    if (value[0] && colon) { /* 6 */
        size_t plen = (size_t)(colon - value);
        const char *suffix = colon + 1;
        if ((plen == 1 && value[0] == '_') || strncmp(suffix, "//", 2) == 0)
            return value;
        char *prefix = arena_strndup(&ld->arena, value, plen);
        if (!prefix) {
            ld_nomem(ld);
            return NULL;
        }
        if (local && cJSON_GetObjectItemCaseSensitive(local, prefix) &&
            defined_get(defined, prefix) != 2) {
            if (!create_term(ld, active, local, prefix, defined, false, false, remote, true))
                return NULL;
        }
        const struct term_def *pd = ctx_term(active, prefix);
        if (pd && pd->id && pd->prefix) {
            char *iri = arena_concat(&ld->arena, pd->id, suffix);
            if (!iri)
                ld_nomem(ld);
            return iri;
        }
        if (iri_is_absolute(value))
            return value;
    }
    if (vocab && active->vocab) { /* 7 */
        char *iri = arena_concat(&ld->arena, active->vocab, value);
        if (!iri)
            ld_nomem(ld);
        return iri;
    }
    /* 8: no base IRI, so a document-relative reference stays as it is */
    return value;
}

static const char *expand_iri(struct ld *ld, const struct ctx *active, const char *value,
                              bool vocab)
{
    /* Without a local context nothing is defined, so active is not changed. */
    return expand_iri_local(ld, (struct ctx *)active, value, vocab, NULL, NULL, NULL);
}

static bool parse_container(struct ld *ld, const cJSON *v, const char *term, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {{"@set", CONT_SET},           {"@list", CONT_LIST},   {"@graph", CONT_GRAPH},
                 {"@language", CONT_LANGUAGE}, {"@index", CONT_INDEX}, {"@id", CONT_ID},
                 {"@type", CONT_TYPE}};
    unsigned bits = 0;
    const cJSON *item;
    if (!cJSON_IsArray(v) && !cJSON_IsString(v))
        goto invalid;
    for (item = cJSON_IsArray(v) ? v->child : NULL; item; item = item->next)
        if (!cJSON_IsString(item))
            goto invalid;
    for (const cJSON *e = cJSON_IsArray(v) ? v->child : v; e;
         e = cJSON_IsArray(v) ? e->next : NULL) {
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(e->valuestring, names[i].name) == 0)
                bit = names[i].bit;
        if (!bit)
            goto invalid;
        bits |= bit;
    }
    if ((bits & CONT_LIST) && bits != CONT_LIST)
        goto invalid;
    *out = bits;
    return true;
invalid:
    ld_invalid(ld, "invalid container mapping", "term \"%.100s\"", term);
    return false;
}

static bool term_def_equal(const struct term_def *a, const struct term_def *b)
{
    if (!str_eq_nullable(a->id, b->id) || !str_eq_nullable(a->type, b->type) ||
        a->container != b->container || a->prefix != b->prefix ||
        a->has_language != b->has_language || a->has_direction != b->has_direction ||
        a->has_context != b->has_context)
        return false;
    if (a->has_language && !str_eq_nullable(a->language, b->language))
        return false;
    if (a->has_direction && !str_eq_nullable(a->direction, b->direction))
        return false;
    if (a->has_context && !cJSON_Compare(a->context, b->context, true))
        return false;
    return true;
}

static bool gen_delim_end(const char *iri)
{
    size_t n = strlen(iri);
    return n && strchr(":/?#[]@", iri[n - 1]) != NULL;
}

/* The keys a term definition may have. */
static bool term_key_allowed(const char *k)
{
    static const char *const allowed[] = {"@id",        "@reverse",   "@container", "@context",
                                          "@direction", "@index",     "@language",  "@nest",
                                          "@prefix",    "@protected", "@type"};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strcmp(k, allowed[i]) == 0)
            return true;
    return false;
}

/* §4.2.2 Create Term Definition. */
static bool create_term(struct ld *ld, struct ctx *active, const cJSON *local, const char *term,
                        struct defined *defined, bool protect_default, bool override_protected,
                        const struct remote *remote, bool validate_scoped)
{
    unsigned char st = defined_get(defined, term);
    if (st == 2)
        return true;
    if (++ld->term_defs > MC_JSONLD_MAX_TERM_DEFS) {
        ld_fail(ld, MC_ERR_TOO_LARGE, "more than %d JSON-LD term definitions to process",
                MC_JSONLD_MAX_TERM_DEFS);
        return false;
    }
    if (st == 1) {
        ld_invalid(ld, "cyclic IRI mapping", "term \"%.100s\"", term);
        return false;
    }
    if (!term[0]) {
        ld_invalid(ld, "invalid term definition", "%s", "empty term");
        return false;
    }
    if (!defined_put(ld, defined, term, 1))
        return false;
    /* The local context's own @protected applies to its terms. */
    const cJSON *lp = cJSON_GetObjectItemCaseSensitive(local, "@protected");
    bool protect = cJSON_IsTrue(lp) ? true : (lp ? false : protect_default);
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(local, term);

    if (strcmp(term, "@type") == 0) { /* 4: only @container @set and @protected */
        const cJSON *k;
        if (!cJSON_IsObject(value))
            goto keyword_redef;
        cJSON_ArrayForEach(k, value)
        {
            if (strcmp(k->string, "@protected") == 0)
                continue;
            if (strcmp(k->string, "@container") == 0 && cJSON_IsString(k) &&
                strcmp(k->valuestring, "@set") == 0)
                continue;
            goto keyword_redef;
        }
        ld_unsupported(ld, "redefining @type");
        return false;
    }
    if (is_keyword(term))
        goto keyword_redef;
    if (looks_like_keyword(term)) /* 5: reserved, ignored */
        return defined_put(ld, defined, term, 2);

    const struct term_def *previous = ctx_term(active, term); /* 6 */
    ctx_remove(active, term);

    bool simple = false;
    const cJSON *vid = NULL;
    struct term_def *def = arena_alloc(&ld->arena, sizeof *def);
    if (!def) {
        ld_nomem(ld);
        return false;
    }
    if (cJSON_IsNull(value)) {          /* 7 */
        vid = value;                    /* maps to null */
    } else if (cJSON_IsString(value)) { /* 8 */
        simple = true;
        vid = value;
    } else if (cJSON_IsObject(value)) { /* 9 */
        const cJSON *k;
        cJSON_ArrayForEach(k, value)
        {
            if (!term_key_allowed(k->string)) { /* 26 */
                ld_invalid(ld, "invalid term definition", "term \"%.100s\" has \"%.100s\"", term,
                           k->string);
                return false;
            }
        }
        vid = cJSON_GetObjectItemCaseSensitive(value, "@id");
    } else {
        ld_invalid(ld, "invalid term definition", "term \"%.100s\"", term);
        return false;
    }
    const cJSON *obj = cJSON_IsObject(value) ? value : NULL;

    const cJSON *vprot = cJSON_GetObjectItemCaseSensitive(obj, "@protected"); /* 11 */
    if (vprot) {
        if (!cJSON_IsBool(vprot)) {
            ld_invalid(ld, "invalid @protected value", "term \"%.100s\"", term);
            return false;
        }
        protect = cJSON_IsTrue(vprot);
    }
    def->protect = protect;

    const cJSON *vtype = cJSON_GetObjectItemCaseSensitive(obj, "@type"); /* 12 */
    if (vtype) {
        if (!cJSON_IsString(vtype)) {
            ld_invalid(ld, "invalid type mapping", "term \"%.100s\"", term);
            return false;
        }
        const char *t =
            expand_iri_local(ld, active, vtype->valuestring, true, local, defined, remote);
        if (ld->code)
            return false;
        if (!t || (!streq(t, "@id") && !streq(t, "@json") && !streq(t, "@none") &&
                   !streq(t, "@vocab") && (!iri_is_absolute(t) || iri_is_bnode(t)))) {
            ld_invalid(ld, "invalid type mapping", "term \"%.100s\"", term);
            return false;
        }
        def->type = t;
    }
    if (cJSON_GetObjectItemCaseSensitive(obj, "@reverse")) { /* 13 */
        ld_unsupported(ld, "@reverse");
        return false;
    }
    if (vid && !(cJSON_IsString(vid) && strcmp(vid->valuestring, term) == 0)) { /* 14 */
        if (cJSON_IsNull(vid)) {
            def->id = NULL;
        } else if (!cJSON_IsString(vid)) {
            ld_invalid(ld, "invalid IRI mapping", "term \"%.100s\"", term);
            return false;
        } else {
            if (!is_keyword(vid->valuestring) && looks_like_keyword(vid->valuestring))
                return defined_put(ld, defined, term, 2); /* reserved: ignored */
            const char *id =
                expand_iri_local(ld, active, vid->valuestring, true, local, defined, remote);
            if (ld->code)
                return false;
            if (!id || (!is_keyword(id) && !iri_is_absolute(id))) {
                ld_invalid(ld, "invalid IRI mapping", "term \"%.100s\"", term);
                return false;
            }
            if (strcmp(id, "@context") == 0) {
                ld_invalid(ld, "invalid keyword alias", "term \"%.100s\"", term);
                return false;
            }
            def->id = id;
            const char *inner = strchr(term + 1, ':');
            bool colon_inside = inner && inner[1] != '\0';
            if (colon_inside || strchr(term, '/')) { /* 14.2.4 */
                if (!defined_put(ld, defined, term, 2))
                    return false;
                const char *again =
                    expand_iri_local(ld, active, term, true, local, defined, remote);
                if (ld->code)
                    return false;
                if (!streq(again, id)) {
                    ld_invalid(ld, "invalid IRI mapping", "term \"%.100s\"", term);
                    return false;
                }
            }
            if (!strchr(term, ':') && !strchr(term, '/') && simple &&
                (iri_is_bnode(id) || gen_delim_end(id))) /* 14.2.5 */
                def->prefix = true;
        }
    } else if (strchr(term + 1, ':')) { /* 15 */
        const char *colon = strchr(term + 1, ':');
        size_t plen = (size_t)(colon - term);
        char *prefix = arena_strndup(&ld->arena, term, plen);
        if (!prefix) {
            ld_nomem(ld);
            return false;
        }
        if (cJSON_GetObjectItemCaseSensitive(local, prefix)) {
            if (!create_term(ld, active, local, prefix, defined, protect_default,
                             override_protected, remote, validate_scoped))
                return false;
        }
        const struct term_def *pd = ctx_term(active, prefix);
        if (pd && pd->id) {
            def->id = arena_concat(&ld->arena, pd->id, colon + 1);
            if (!def->id) {
                ld_nomem(ld);
                return false;
            }
        } else {
            def->id = term;
        }
    } else if (strchr(term, '/')) { /* 16 */
        const char *id = expand_iri_local(ld, active, term, true, local, defined, remote);
        if (ld->code)
            return false;
        if (!id || !iri_is_absolute(id) || iri_is_bnode(id)) {
            ld_invalid(ld, "invalid IRI mapping", "term \"%.100s\"", term);
            return false;
        }
        def->id = id;
    } else if (active->vocab) { /* 18 */
        def->id = arena_concat(&ld->arena, active->vocab, term);
        if (!def->id) {
            ld_nomem(ld);
            return false;
        }
    } else {
        ld_invalid(ld, "invalid IRI mapping", "term \"%.100s\" has no IRI and there is no @vocab",
                   term);
        return false;
    }

    const cJSON *vcont = cJSON_GetObjectItemCaseSensitive(obj, "@container"); /* 19 */
    if (vcont) {
        if (!parse_container(ld, vcont, term, &def->container))
            return false;
        if (def->container & CONT_TYPE) {
            if (!def->type)
                def->type = "@id";
            if (!streq(def->type, "@id") && !streq(def->type, "@vocab")) {
                ld_invalid(ld, "invalid type mapping", "term \"%.100s\"", term);
                return false;
            }
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(obj, "@index")) { /* 20 */
        ld_unsupported(ld, "property-valued @index");
        return false;
    }
    const cJSON *vctx = cJSON_GetObjectItemCaseSensitive(obj, "@context"); /* 21 */
    if (vctx) {
        /* Process it once now so that a broken scoped context fails here. */
        struct ctx *check = process_context(ld, active, vctx, remote, true, true, false);
        if (!check) {
            if (ld->code == MC_ERR_INVALID) {
                struct mc_error *e = ld->err;
                if (e)
                    mc_format_cut(e->detail, sizeof e->detail, "in the scoped context of \"%s\"",
                                  term);
            }
            return false;
        }
        def->context = vctx;
        def->has_context = true;
    }
    const cJSON *vlang = cJSON_GetObjectItemCaseSensitive(obj, "@language"); /* 22 */
    if (vlang && !vtype) {
        if (!cJSON_IsNull(vlang) && !cJSON_IsString(vlang)) {
            ld_invalid(ld, "invalid language mapping", "term \"%.100s\"", term);
            return false;
        }
        def->has_language = true;
        if (cJSON_IsString(vlang)) {
            def->language = lowercase(ld, vlang->valuestring);
            if (!def->language)
                return false;
        }
    }
    const cJSON *vdir = cJSON_GetObjectItemCaseSensitive(obj, "@direction"); /* 23 */
    if (vdir && !vtype) {
        if (!cJSON_IsNull(vdir) && !(cJSON_IsString(vdir) && (streq(vdir->valuestring, "ltr") ||
                                                              streq(vdir->valuestring, "rtl")))) {
            ld_invalid(ld, "invalid base direction", "term \"%.100s\"", term);
            return false;
        }
        def->has_direction = true;
        def->direction = cJSON_IsString(vdir) ? vdir->valuestring : NULL;
    }
    if (cJSON_GetObjectItemCaseSensitive(obj, "@nest")) { /* 24 */
        ld_unsupported(ld, "@nest");
        return false;
    }
    const cJSON *vprefix = cJSON_GetObjectItemCaseSensitive(obj, "@prefix"); /* 25 */
    if (vprefix) {
        if (strchr(term, ':') || strchr(term, '/')) {
            ld_invalid(ld, "invalid term definition", "term \"%.100s\" cannot be a prefix", term);
            return false;
        }
        if (!cJSON_IsBool(vprefix)) {
            ld_invalid(ld, "invalid @prefix value", "term \"%.100s\"", term);
            return false;
        }
        def->prefix = cJSON_IsTrue(vprefix);
        if (def->prefix && is_keyword(def->id)) {
            ld_invalid(ld, "invalid term definition", "term \"%.100s\"", term);
            return false;
        }
    }
    if (!override_protected && previous && previous->protect) { /* 27 */
        if (!term_def_equal(previous, def)) {
            ld_invalid(ld, "protected term redefinition", "term \"%.100s\"", term);
            return false;
        }
        def = (struct term_def *)previous;
    }
    if (!ctx_set(ld, active, term, def)) /* 28 */
        return false;
    return defined_put(ld, defined, term, 2);

keyword_redef:
    ld_invalid(ld, "keyword redefinition", "\"%.100s\"", term);
    return false;
}

static bool process_context_object(struct ld *ld, struct ctx *result, const cJSON *context,
                                   const struct remote *remote, bool override_protected,
                                   bool validate_scoped)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(context, "@version"); /* 5.5 */
    if (v && !(cJSON_IsNumber(v) && v->valuedouble == 1.1)) {
        ld_invalid(ld, "invalid @version value", "%s", "only 1.1 is allowed");
        return false;
    }
    if (cJSON_GetObjectItemCaseSensitive(context, "@import")) { /* 5.6 */
        ld_unsupported(ld, "@import");
        return false;
    }
    v = cJSON_GetObjectItemCaseSensitive(context, "@base"); /* 5.7 */
    if (v && remote->n == 0 && !cJSON_IsNull(v)) {
        ld_unsupported(ld, "@base");
        return false;
    }
    v = cJSON_GetObjectItemCaseSensitive(context, "@vocab"); /* 5.8 */
    if (v) {
        if (cJSON_IsNull(v)) {
            result->vocab = NULL;
        } else if (!cJSON_IsString(v)) {
            ld_invalid(ld, "invalid vocab mapping", "%s", "@vocab must be a string or null");
            return false;
        } else {
            const char *vocab = expand_iri(ld, result, v->valuestring, true);
            if (ld->code)
                return false;
            if (!vocab || !iri_is_absolute(vocab)) {
                ld_invalid(ld, "invalid vocab mapping", "\"%.100s\"", v->valuestring);
                return false;
            }
            result->vocab = vocab;
        }
    }
    v = cJSON_GetObjectItemCaseSensitive(context, "@language"); /* 5.9 */
    if (v) {
        if (cJSON_IsNull(v)) {
            result->language = NULL;
        } else if (!cJSON_IsString(v)) {
            ld_invalid(ld, "invalid default language", "%s", "@language must be a string");
            return false;
        } else {
            result->language = lowercase(ld, v->valuestring);
            if (!result->language)
                return false;
        }
    }
    v = cJSON_GetObjectItemCaseSensitive(context, "@direction"); /* 5.10 */
    if (v) {
        if (cJSON_IsNull(v)) {
            result->direction = NULL;
        } else if (cJSON_IsString(v) &&
                   (streq(v->valuestring, "ltr") || streq(v->valuestring, "rtl"))) {
            result->direction = v->valuestring;
        } else {
            ld_invalid(ld, "invalid base direction", "%s", "@direction must be ltr or rtl");
            return false;
        }
    }
    v = cJSON_GetObjectItemCaseSensitive(context, "@propagate"); /* 5.11 */
    if (v && !cJSON_IsBool(v)) {
        ld_invalid(ld, "invalid @propagate value", "%s", "@propagate must be true or false");
        return false;
    }
    v = cJSON_GetObjectItemCaseSensitive(context, "@protected");
    if (v && !cJSON_IsBool(v)) {
        ld_invalid(ld, "invalid @protected value", "%s", "@protected must be true or false");
        return false;
    }
    struct defined defined = {0}; /* 5.12 */
    const cJSON *item;
    cJSON_ArrayForEach(item, context) /* 5.13 */
    {
        const char *k = item->string;
        if (streq(k, "@base") || streq(k, "@direction") || streq(k, "@import") ||
            streq(k, "@language") || streq(k, "@propagate") || streq(k, "@protected") ||
            streq(k, "@version") || streq(k, "@vocab"))
            continue;
        if (!create_term(ld, result, context, k, &defined, false, override_protected, remote,
                         validate_scoped))
            return false;
    }
    return true;
}

/* §4.1.2 Context Processing.  Returns a new context, or NULL on error. */
static struct ctx *process_context(struct ld *ld, const struct ctx *active, const cJSON *local,
                                   const struct remote *remote_in, bool override_protected,
                                   bool propagate, bool validate_scoped)
{
    if (ld->depth > MC_JSONLD_MAX_DEPTH) {
        ld_fail(ld, MC_ERR_TOO_LARGE, "JSON-LD contexts nested deeper than %d",
                MC_JSONLD_MAX_DEPTH);
        return NULL;
    }
    struct ctx *result = ctx_clone(ld, active); /* 1 */
    if (!result)
        return NULL;
    const cJSON *p =
        cJSON_IsObject(local) ? cJSON_GetObjectItemCaseSensitive(local, "@propagate") : NULL;
    if (cJSON_IsBool(p)) /* 2 */
        propagate = cJSON_IsTrue(p);
    if (!propagate && !result->previous) /* 3 */
        result->previous = active;
    const cJSON *first = cJSON_IsArray(local) ? local->child : local;
    ld->depth++;
    for (const cJSON *c = first; c; c = cJSON_IsArray(local) ? c->next : NULL) { /* 5 */
        if (cJSON_IsNull(c)) {                                                   /* 5.1 */
            if (!override_protected && ctx_has_protected(result)) {
                ld_invalid(ld, "invalid context nullification", "%s",
                           "a context with protected terms cannot be set to null");
                goto fail;
            }
            const struct ctx *before = result;
            result = ctx_new(ld);
            if (!result)
                goto fail;
            if (!propagate)
                result->previous = before;
            continue;
        }
        if (cJSON_IsString(c)) { /* 5.2 */
            const char *url = c->valuestring;
            bool seen = false;
            for (size_t i = 0; i < remote_in->n; i++)
                if (strcmp(remote_in->urls[i], url) == 0)
                    seen = true;
            if (!validate_scoped && seen)
                continue;
            if (remote_in->n >= MC_JSONLD_MAX_CONTEXTS) {
                ld_invalid(ld, "context overflow", "more than %d remote contexts",
                           MC_JSONLD_MAX_CONTEXTS);
                goto fail;
            }
            struct remote *remote = arena_alloc(&ld->arena, sizeof *remote);
            if (!remote) {
                ld_nomem(ld);
                goto fail;
            }
            *remote = *remote_in;
            remote->urls[remote->n++] = url;
            const cJSON *loaded = load_context(ld, url);
            if (!loaded)
                goto fail;
            result = process_context(ld, result, loaded, remote, false, true, validate_scoped);
            if (!result)
                goto fail;
            continue;
        }
        if (!cJSON_IsObject(c)) { /* 5.3 */
            ld_invalid(ld, "invalid local context", "%s",
                       "a context must be an object, a URL, null or an array of those");
            goto fail;
        }
        if (!process_context_object(ld, result, c, remote_in, override_protected, validate_scoped))
            goto fail;
    }
    ld->depth--;
    return result;
fail:
    ld->depth--;
    return NULL;
}

/* ---- expansion (§5.1) ------------------------------------------------- */

static cJSON *expand(struct ld *ld, const struct ctx *active, const char *active_prop,
                     const cJSON *element, bool from_map);

static bool add_nomem(struct ld *ld, cJSON *parent, const char *key, cJSON *child)
{
    if (!child) {
        ld_nomem(ld);
        return false;
    }
    bool ok = key ? cJSON_AddItemToObject(parent, key, child) : cJSON_AddItemToArray(parent, child);
    if (!ok) {
        cJSON_Delete(child);
        ld_nomem(ld);
    }
    return ok;
}

/* §5.3.2 Value Expansion. */
static cJSON *expand_value(struct ld *ld, const struct ctx *active, const char *active_prop,
                           const cJSON *value)
{
    const struct term_def *td = active_prop ? ctx_term(active, active_prop) : NULL;
    const char *type = td ? td->type : NULL;
    cJSON *r = cJSON_CreateObject();
    if (!r) {
        ld_nomem(ld);
        return NULL;
    }
    if (cJSON_IsString(value) && (streq(type, "@id") || streq(type, "@vocab"))) {
        const char *iri = expand_iri(ld, active, value->valuestring, streq(type, "@vocab"));
        if (ld->code)
            goto fail;
        if (!iri) { /* a keyword-like string: nothing to refer to */
            cJSON_Delete(r);
            return NULL;
        }
        if (!add_nomem(ld, r, "@id", cJSON_CreateString(iri)))
            goto fail;
        return r;
    }
    if (!add_nomem(ld, r, "@value", cJSON_Duplicate(value, true)))
        goto fail;
    if (type && !streq(type, "@id") && !streq(type, "@vocab") && !streq(type, "@none")) {
        if (!add_nomem(ld, r, "@type", cJSON_CreateString(type)))
            goto fail;
    } else if (cJSON_IsString(value)) {
        const char *lang = td && td->has_language ? td->language : active->language;
        const char *dir = td && td->has_direction ? td->direction : active->direction;
        if (lang && !add_nomem(ld, r, "@language", cJSON_CreateString(lang)))
            goto fail;
        if (dir && !add_nomem(ld, r, "@direction", cJSON_CreateString(dir)))
            goto fail;
    }
    return r;
fail:
    cJSON_Delete(r);
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* The keys of an object in code point order (arena memory). */
static const cJSON **sorted_entries(struct ld *ld, const cJSON *obj, size_t *out_n)
{
    size_t n = (size_t)cJSON_GetArraySize(obj);
    /* v holds pointers: sizeof *v is a pointer's size, as meant (here and in qsort) */
    const cJSON **v =
        arena_alloc(&ld->arena, (n ? n : 1) * sizeof *v); /* NOLINT(bugprone-sizeof-expression) */
    if (!v) {
        ld_nomem(ld);
        return NULL;
    }
    size_t i = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        v[i++] = c;
    qsort(v, n, sizeof *v, cmp_entry); /* NOLINT(bugprone-sizeof-expression) */
    *out_n = n;
    return v;
}

/* Append value (an array's items, or one item) to result[key] as an array. */
static bool append_values(struct ld *ld, cJSON *result, const char *key, cJSON *value)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(result, key);
    if (!arr) {
        arr = cJSON_CreateArray();
        if (!add_nomem(ld, result, key, arr)) {
            cJSON_Delete(value);
            return false;
        }
    }
    if (cJSON_IsArray(value)) {
        while (value->child) {
            cJSON *c = cJSON_DetachItemViaPointer(value, value->child);
            cJSON_AddItemToArray(arr, c);
        }
        cJSON_Delete(value);
        return true;
    }
    return cJSON_AddItemToArray(arr, value) || (cJSON_Delete(value), ld_nomem(ld), false);
}

static cJSON *as_array(struct ld *ld, cJSON *v)
{
    if (!v || cJSON_IsArray(v))
        return v;
    cJSON *arr = cJSON_CreateArray();
    if (!arr || !cJSON_AddItemToArray(arr, v)) {
        cJSON_Delete(arr);
        cJSON_Delete(v);
        ld_nomem(ld);
        return NULL;
    }
    return arr;
}

static cJSON *wrap_in(struct ld *ld, const char *key, cJSON *v)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToObject(o, key, v)) {
        cJSON_Delete(o);
        cJSON_Delete(v);
        ld_nomem(ld);
        return NULL;
    }
    return o;
}

static bool is_list_object(const cJSON *v)
{
    return cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "@list");
}

static cJSON *expand_language_map(struct ld *ld, const struct ctx *active, const char *key,
                                  const cJSON *value)
{
    const struct term_def *td = ctx_term(active, key);
    const char *dir = td && td->has_direction ? td->direction : active->direction;
    cJSON *out = cJSON_CreateArray();
    size_t n = 0;
    const cJSON **entries = out ? sorted_entries(ld, value, &n) : NULL;
    if (!out || !entries) {
        cJSON_Delete(out);
        ld_nomem(ld);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const cJSON *lv = entries[i];
        const char *lang = lv->string;
        bool none = streq(lang, "@none") || streq(expand_iri(ld, active, lang, true), "@none");
        const cJSON *first = cJSON_IsArray(lv) ? lv->child : lv;
        for (const cJSON *item = first; item; item = cJSON_IsArray(lv) ? item->next : NULL) {
            if (cJSON_IsNull(item))
                continue;
            if (!cJSON_IsString(item)) {
                ld_invalid(ld, "invalid language map value", "property \"%.100s\"", key);
                goto fail;
            }
            cJSON *v = cJSON_CreateObject();
            if (!add_nomem(ld, out, NULL, v) ||
                !add_nomem(ld, v, "@value", cJSON_CreateString(item->valuestring)))
                goto fail;
            if (!none) {
                const char *low = lowercase(ld, lang);
                if (!low || !add_nomem(ld, v, "@language", cJSON_CreateString(low)))
                    goto fail;
            }
            if (dir && !add_nomem(ld, v, "@direction", cJSON_CreateString(dir)))
                goto fail;
        }
    }
    return out;
fail:
    cJSON_Delete(out);
    return NULL;
}

/* Steps 13.4.x: one keyword entry of a map, into result. */
static bool expand_keyword(struct ld *ld, const struct ctx *active, const struct ctx *type_ctx,
                           const char *active_prop, const char *kw, const cJSON *value,
                           const char *input_type, cJSON *result)
{
    if (streq(active_prop, "@reverse")) {
        ld_unsupported(ld, "@reverse");
        return false;
    }
    if (cJSON_GetObjectItemCaseSensitive(result, kw) && !streq(kw, "@type")) {
        ld_invalid(ld, "colliding keywords", "\"%s\"", kw);
        return false;
    }
    cJSON *ev = NULL;
    if (streq(kw, "@id")) {
        if (!cJSON_IsString(value)) {
            ld_invalid(ld, "invalid @id value", "%s", "@id must be a string");
            return false;
        }
        const char *iri = expand_iri(ld, active, value->valuestring, false);
        if (ld->code)
            return false;
        if (!iri)
            return true;
        ev = cJSON_CreateString(iri);
    } else if (streq(kw, "@type")) {
        bool ok = cJSON_IsString(value);
        const cJSON *t;
        if (cJSON_IsArray(value)) {
            ok = true;
            cJSON_ArrayForEach(t, value) ok = ok && cJSON_IsString(t);
        }
        if (!ok) {
            ld_invalid(ld, "invalid type value", "%s", "@type must be a string or strings");
            return false;
        }
        cJSON *prev = cJSON_DetachItemFromObjectCaseSensitive(result, "@type");
        if (cJSON_IsString(value) && !prev) {
            const char *iri = expand_iri(ld, type_ctx, value->valuestring, true);
            if (ld->code)
                return false;
            if (!iri)
                return true;
            ev = cJSON_CreateString(iri);
        } else {
            ev = prev ? as_array(ld, prev) : cJSON_CreateArray();
            if (!ev) {
                ld_nomem(ld);
                return false;
            }
            const cJSON *first = cJSON_IsArray(value) ? value->child : value;
            for (t = first; t; t = cJSON_IsArray(value) ? t->next : NULL) {
                const char *iri = expand_iri(ld, type_ctx, t->valuestring, true);
                if (ld->code || (iri && !add_nomem(ld, ev, NULL, cJSON_CreateString(iri)))) {
                    cJSON_Delete(ev);
                    return false;
                }
            }
        }
    } else if (streq(kw, "@graph")) {
        ev = as_array(ld, expand(ld, active, "@graph", value, false));
        if (ld->code)
            return false;
        if (!ev)
            ev = cJSON_CreateArray();
    } else if (streq(kw, "@value")) {
        if (streq(input_type, "@json")) {
            ev = cJSON_Duplicate(value, true);
        } else if (cJSON_IsObject(value) || cJSON_IsArray(value)) {
            ld_invalid(ld, "invalid value object value", "%s", "@value must be a scalar");
            return false;
        } else {
            ev = cJSON_Duplicate(value, false);
        }
    } else if (streq(kw, "@language")) {
        if (cJSON_IsNull(value))
            return true;
        if (!cJSON_IsString(value)) {
            ld_invalid(ld, "invalid language-tagged string", "%s", "@language must be a string");
            return false;
        }
        const char *low = lowercase(ld, value->valuestring);
        if (!low)
            return false;
        ev = cJSON_CreateString(low);
    } else if (streq(kw, "@direction")) {
        if (!cJSON_IsString(value) ||
            !(streq(value->valuestring, "ltr") || streq(value->valuestring, "rtl"))) {
            ld_invalid(ld, "invalid base direction", "%s", "@direction must be ltr or rtl");
            return false;
        }
        ev = cJSON_CreateString(value->valuestring);
    } else if (streq(kw, "@index")) {
        if (!cJSON_IsString(value)) {
            ld_invalid(ld, "invalid @index value", "%s", "@index must be a string");
            return false;
        }
        ev = cJSON_CreateString(value->valuestring);
    } else if (streq(kw, "@list")) {
        if (!active_prop || streq(active_prop, "@graph"))
            return true; /* a free-floating list is dropped */
        ev = as_array(ld, expand(ld, active, active_prop, value, false));
        if (ld->code)
            return false;
        if (!ev)
            ev = cJSON_CreateArray();
    } else if (streq(kw, "@set")) {
        ev = expand(ld, active, active_prop, value, false);
        if (ld->code)
            return false;
        if (!ev)
            ev = cJSON_CreateArray();
    } else if (streq(kw, "@context")) {
        return true;
    } else {
        /* @reverse, @nest, @included and the rest: see the header comment. */
        ld_unsupported(ld, kw);
        return false;
    }
    return add_nomem(ld, result, kw, ev);
}

/* True when the expanded map is a value object with only allowed keys. */
static bool value_object_ok(struct ld *ld, cJSON *result)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, result)
    {
        if (!streq(k->string, "@direction") && !streq(k->string, "@index") &&
            !streq(k->string, "@language") && !streq(k->string, "@type") &&
            !streq(k->string, "@value")) {
            ld_invalid(ld, "invalid value object", "unexpected \"%.100s\"", k->string);
            return false;
        }
    }
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(result, "@type");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(result, "@value");
    bool has_lang = cJSON_GetObjectItemCaseSensitive(result, "@language") != NULL;
    if (type && (has_lang || cJSON_GetObjectItemCaseSensitive(result, "@direction"))) {
        ld_invalid(ld, "invalid value object", "%s", "@type with @language or @direction");
        return false;
    }
    if (type && cJSON_IsString(type) && streq(type->valuestring, "@json"))
        return true;
    if (has_lang && !cJSON_IsString(value) && !cJSON_IsNull(value)) {
        ld_invalid(ld, "invalid language-tagged value", "%s", "@language on a non-string");
        return false;
    }
    if (type && (!cJSON_IsString(type) || !iri_is_absolute(type->valuestring) ||
                 iri_is_bnode(type->valuestring))) {
        ld_invalid(ld, "invalid typed value", "%s", "@type of a value must be an IRI");
        return false;
    }
    return true;
}

static bool only_keys(const cJSON *obj, const char *k1, const char *k2)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, obj)
    {
        if (!streq(k->string, k1) && !streq(k->string, k2))
            return false;
    }
    return true;
}

/* Steps 7–11: the context that applies inside a map. */
static const struct ctx *map_context(struct ld *ld, const struct ctx *active,
                                     const cJSON *property_ctx, bool has_property_ctx,
                                     const cJSON *element, bool from_map,
                                     const struct ctx **out_type_ctx)
{
    static const struct remote no_remote = {.n = 0};
    if (active->previous && !from_map) { /* 7 */
        bool keep = false;
        size_t n = 0;
        const cJSON *k;
        cJSON_ArrayForEach(k, element)
        {
            const char *e = expand_iri(ld, active, k->string, true);
            if (streq(e, "@value"))
                keep = true;
            n++;
        }
        if (n == 1 && streq(expand_iri(ld, active, element->child->string, true), "@id"))
            keep = true;
        if (!keep)
            active = active->previous;
    }
    if (has_property_ctx) { /* 8 */
        active = process_context(ld, active, property_ctx, &no_remote, true, true, true);
        if (!active)
            return NULL;
    }
    const cJSON *lctx = cJSON_GetObjectItemCaseSensitive(element, "@context"); /* 9 */
    if (lctx) {
        active = process_context(ld, active, lctx, &no_remote, false, true, true);
        if (!active)
            return NULL;
    }
    const struct ctx *type_ctx = active; /* 10 */
    size_t n = 0;
    const cJSON **entries = sorted_entries(ld, element, &n);
    if (!entries)
        return NULL;
    for (size_t i = 0; i < n; i++) { /* 11 */
        if (!streq(expand_iri(ld, active, entries[i]->string, true), "@type"))
            continue;
        const cJSON *v = entries[i];
        size_t nt = 0;
        const char **types =
            arena_alloc(&ld->arena, ((size_t)cJSON_GetArraySize(v) + 1) * sizeof *types);
        if (!types) {
            ld_nomem(ld);
            return NULL;
        }
        if (cJSON_IsString(v))
            types[nt++] = v->valuestring;
        const cJSON *t;
        for (t = cJSON_IsArray(v) ? v->child : NULL; t; t = t->next)
            if (cJSON_IsString(t))
                types[nt++] = t->valuestring;
        qsort(types, nt, sizeof *types, cmp_str);
        for (size_t j = 0; j < nt; j++) {
            const struct term_def *td = ctx_term(type_ctx, types[j]);
            if (td && td->has_context) {
                active = process_context(ld, active, td->context, &no_remote, false, false, true);
                if (!active)
                    return NULL;
            }
        }
    }
    *out_type_ctx = type_ctx;
    return ld->code ? NULL : active;
}

/* The expanded value of the last @type entry (keys in order), or NULL. */
static const char *input_type_of(struct ld *ld, const struct ctx *active, const cJSON *element)
{
    size_t n = 0;
    const cJSON **entries = sorted_entries(ld, element, &n);
    for (size_t i = 0; entries && i < n; i++) {
        if (!streq(expand_iri(ld, active, entries[i]->string, true), "@type"))
            continue;
        const cJSON *v = entries[i];
        const cJSON *last = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, cJSON_GetArraySize(v) - 1) : v;
        return cJSON_IsString(last) ? expand_iri(ld, active, last->valuestring, true) : NULL;
    }
    return NULL;
}

/* Step 13 for a non-keyword key: its expanded values appended to result. */
static bool expand_property(struct ld *ld, const struct ctx *active, const char *key,
                            const char *prop, const cJSON *value, cJSON *result)
{
    const struct term_def *td = ctx_term(active, key);
    unsigned container = td ? td->container : 0;
    cJSON *ev;
    if (td && streq(td->type, "@json")) { /* 13.6 */
        ev = cJSON_CreateObject();
        if (!add_nomem(ld, ev, "@value", cJSON_Duplicate(value, true)) ||
            !add_nomem(ld, ev, "@type", cJSON_CreateString("@json"))) {
            cJSON_Delete(ev);
            return false;
        }
    } else if ((container & CONT_LANGUAGE) && cJSON_IsObject(value)) { /* 13.7 */
        ev = expand_language_map(ld, active, key, value);
    } else if ((container & (CONT_INDEX | CONT_TYPE | CONT_ID)) && cJSON_IsObject(value)) {
        ld_unsupported(ld, "index, id and type maps"); /* 13.8 */
        return false;
    } else {
        ev = expand(ld, active, key, value, false); /* 13.9 */
    }
    if (ld->code) {
        cJSON_Delete(ev);
        return false;
    }
    if (!ev) /* 13.10 */
        return true;
    if ((container & CONT_LIST) && !is_list_object(ev)) { /* 13.11 */
        ev = wrap_in(ld, "@list", as_array(ld, ev));
        if (!ev)
            return false;
    }
    if ((container & CONT_GRAPH) && !(container & (CONT_ID | CONT_INDEX))) { /* 13.12 */
        ev = as_array(ld, ev);
        if (!ev)
            return false;
        cJSON *graphs = cJSON_CreateArray();
        if (!graphs) {
            cJSON_Delete(ev);
            ld_nomem(ld);
            return false;
        }
        while (ev->child) {
            cJSON *item = cJSON_DetachItemViaPointer(ev, ev->child);
            cJSON *g = wrap_in(ld, "@graph", as_array(ld, item));
            if (!g || !add_nomem(ld, graphs, NULL, g)) {
                cJSON_Delete(ev);
                cJSON_Delete(graphs);
                return false;
            }
        }
        cJSON_Delete(ev);
        ev = graphs;
    }
    return append_values(ld, result, prop, ev); /* 13.14 */
}

/* Steps 15–19: what the expanded map becomes. */
static cJSON *finish_map(struct ld *ld, const char *active_prop, cJSON *result)
{
    if (cJSON_GetObjectItemCaseSensitive(result, "@value")) { /* 15 */
        if (!value_object_ok(ld, result))
            goto drop;
        if (cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(result, "@value"))) {
            cJSON_Delete(result);
            return NULL;
        }
    } else if (cJSON_GetObjectItemCaseSensitive(result, "@type")) { /* 16 */
        cJSON *t = cJSON_GetObjectItemCaseSensitive(result, "@type");
        if (!cJSON_IsArray(t)) {
            cJSON *d = cJSON_DetachItemViaPointer(result, t);
            if (!add_nomem(ld, result, "@type", as_array(ld, d)))
                goto drop;
        }
    } else if (cJSON_GetObjectItemCaseSensitive(result, "@set") ||
               cJSON_GetObjectItemCaseSensitive(result, "@list")) { /* 17 */
        bool is_set = cJSON_GetObjectItemCaseSensitive(result, "@set") != NULL;
        if (!only_keys(result, is_set ? "@set" : "@list", "@index") ||
            cJSON_GetArraySize(result) > 2) {
            ld_invalid(ld, "invalid set or list object", "%s", "unexpected entries");
            goto drop;
        }
        if (is_set) {
            cJSON *set = cJSON_DetachItemFromObjectCaseSensitive(result, "@set");
            cJSON_Delete(result);
            return set;
        }
    }
    if (cJSON_GetArraySize(result) == 1 && cJSON_GetObjectItemCaseSensitive(result, "@language")) {
        cJSON_Delete(result); /* 18 */
        return NULL;
    }
    if (!active_prop || streq(active_prop, "@graph")) { /* 19: free-floating values */
        if (cJSON_GetArraySize(result) == 0 || cJSON_GetObjectItemCaseSensitive(result, "@value") ||
            cJSON_GetObjectItemCaseSensitive(result, "@list") ||
            (cJSON_GetArraySize(result) == 1 && cJSON_GetObjectItemCaseSensitive(result, "@id"))) {
            cJSON_Delete(result);
            return NULL;
        }
    }
    return result;
drop:
    cJSON_Delete(result);
    return NULL;
}

static cJSON *expand_map(struct ld *ld, const struct ctx *active, const char *active_prop,
                         const cJSON *element, bool from_map, const cJSON *property_ctx,
                         bool has_property_ctx)
{
    const struct ctx *type_ctx = NULL;
    active = map_context(ld, active, property_ctx, has_property_ctx, element, from_map, &type_ctx);
    if (!active)
        return NULL;
    const char *input_type = input_type_of(ld, active, element); /* 12 */
    if (ld->code)
        return NULL;
    cJSON *result = cJSON_CreateObject();
    if (!result) {
        ld_nomem(ld);
        return NULL;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, element) /* 13 */
    {
        if (streq(e->string, "@context"))
            continue;
        const char *prop = expand_iri(ld, active, e->string, true);
        if (ld->code)
            goto fail;
        if (!prop || (!strchr(prop, ':') && !is_keyword(prop)))
            continue; /* 13.3: keys that are not IRIs or keywords are dropped */
        bool ok = is_keyword(prop) ? expand_keyword(ld, active, type_ctx, active_prop, prop, e,
                                                    input_type, result)
                                   : expand_property(ld, active, e->string, prop, e, result);
        if (!ok)
            goto fail;
    }
    return finish_map(ld, active_prop, result);
fail:
    cJSON_Delete(result);
    return NULL;
}

/* §5.1.2 Expansion.  NULL is both "null" and an error: check ld->code. */
static cJSON *expand(struct ld *ld, const struct ctx *active, const char *active_prop,
                     const cJSON *element, bool from_map)
{
    static const struct remote no_remote = {.n = 0};
    if (!element || cJSON_IsNull(element) || ld->code)
        return NULL;
    if (ld->depth > MC_JSONLD_MAX_DEPTH) {
        ld_fail(ld, MC_ERR_TOO_LARGE, "JSON-LD document nested deeper than %d",
                MC_JSONLD_MAX_DEPTH);
        return NULL;
    }
    const struct term_def *apd = active_prop ? ctx_term(active, active_prop) : NULL; /* 3 */
    bool has_pctx = apd && apd->has_context;
    const cJSON *pctx = has_pctx ? apd->context : NULL;
    cJSON *r = NULL;
    ld->depth++;
    if (cJSON_IsArray(element)) { /* 5 */
        unsigned container = apd ? apd->container : 0;
        r = cJSON_CreateArray();
        if (!r) {
            ld_nomem(ld);
            goto out;
        }
        const cJSON *item;
        cJSON_ArrayForEach(item, element)
        {
            cJSON *ex = expand(ld, active, active_prop, item, from_map);
            if (ld->code) {
                cJSON_Delete(r);
                r = NULL;
                goto out;
            }
            if (ex && (container & CONT_LIST) && cJSON_IsArray(ex))
                ex = wrap_in(ld, "@list", ex);
            if (!ex)
                continue;
            if (cJSON_IsArray(ex)) {
                while (ex->child)
                    cJSON_AddItemToArray(r, cJSON_DetachItemViaPointer(ex, ex->child));
                cJSON_Delete(ex);
            } else if (!add_nomem(ld, r, NULL, ex)) {
                cJSON_Delete(r);
                r = NULL;
                goto out;
            }
        }
    } else if (cJSON_IsObject(element)) { /* 6 */
        r = expand_map(ld, active, active_prop, element, from_map, pctx, has_pctx);
    } else { /* 4: a scalar */
        if (!active_prop || streq(active_prop, "@graph"))
            goto out;
        if (has_pctx) {
            active = process_context(ld, active, pctx, &no_remote, false, true, true);
            if (!active)
                goto out;
        }
        r = expand_value(ld, active, active_prop, element);
    }
out:
    ld->depth--;
    if (ld->code) {
        cJSON_Delete(r);
        return NULL;
    }
    return r;
}

/* ---- toRdf (§8.1) ------------------------------------------------------ */

struct labels {
    const char **names; /* blank node labels of the input, in order met */
    size_t *ids;
    size_t n, cap;
};

struct emit {
    struct ld *ld;
    struct mc_rdf_dataset *ds;
    struct labels labels;
};

static bool emit_bnode_for(struct emit *e, const char *label, struct mc_rdf_term *out)
{
    struct labels *l = &e->labels;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->names[i], label) == 0) {
            *out = (struct mc_rdf_term){.kind = MC_RDF_BNODE, .bnode = l->ids[i]};
            return true;
        }
    }
    if (l->n >= MC_JSONLD_MAX_BNODE_LABELS) {
        ld_fail(e->ld, MC_ERR_TOO_LARGE, "more than %d blank node identifiers",
                MC_JSONLD_MAX_BNODE_LABELS);
        return false;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        const char **names = arena_alloc(&e->ld->arena, cap * sizeof *names);
        size_t *ids = arena_alloc(&e->ld->arena, cap * sizeof *ids);
        if (!names || !ids) {
            ld_nomem(e->ld);
            return false;
        }
        if (l->n) {
            memcpy(names, l->names, l->n * sizeof *names);
            memcpy(ids, l->ids, l->n * sizeof *ids);
        }
        l->names = names;
        l->ids = ids;
        l->cap = cap;
    }
    l->names[l->n] = label;
    l->ids[l->n] = rdf_dataset_bnode(e->ds);
    *out = (struct mc_rdf_term){.kind = MC_RDF_BNODE, .bnode = l->ids[l->n]};
    l->n++;
    return true;
}

static struct mc_rdf_term fresh_bnode(struct emit *e)
{
    return (struct mc_rdf_term){.kind = MC_RDF_BNODE, .bnode = rdf_dataset_bnode(e->ds)};
}

/* An IRI or blank node term for `s`; kind stays DEFAULT_GRAPH (= none) if
 * it is neither (a relative IRI), so quads using it are skipped. */
static bool iri_term(struct emit *e, const char *s, struct mc_rdf_term *out)
{
    *out = (struct mc_rdf_term){.kind = MC_RDF_DEFAULT_GRAPH};
    if (iri_is_bnode(s))
        return emit_bnode_for(e, s, out);
    if (iri_is_absolute(s)) {
        char *v = arena_strdup(&e->ds->arena, s);
        if (!v) {
            ld_nomem(e->ld);
            return false;
        }
        *out = (struct mc_rdf_term){.kind = MC_RDF_IRI, .value = v, .len = strlen(v)};
    }
    return true;
}

static bool emit_quad(struct emit *e, const struct mc_rdf_term *s, const struct mc_rdf_term *p,
                      const struct mc_rdf_term *o, const struct mc_rdf_term *g)
{
    if (s->kind == MC_RDF_DEFAULT_GRAPH || p->kind != MC_RDF_IRI || o->kind == MC_RDF_DEFAULT_GRAPH)
        return true; /* not well-formed: skipped, as the algorithm says */
    struct mc_rdf_quad q = {.s = *s, .p = *p, .o = *o, .g = *g};
    struct mc_error qerr;
    mc_error_clear(&qerr);
    if (rdf_dataset_add(e->ds, &q, &qerr) != MC_OK) {
        ld_fail(e->ld, qerr.code, "%s", mc_error_message(&qerr));
        return false;
    }
    return true;
}

static bool const_iri(struct emit *e, const char *iri, struct mc_rdf_term *out)
{
    *out = (struct mc_rdf_term){.kind = MC_RDF_IRI, .value = iri, .len = strlen(iri)};
    (void)e;
    return true;
}

/* xsd:double in canonical form as jsonld.js writes it: 1.5E0, 1.0E21. */
static void format_double(double d, char out[64])
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15e", d);
    char *e = strchr(tmp, 'e');
    if (!e) {
        snprintf(out, 64, "%s", tmp);
        return;
    }
    long exp = strtol(e + 1, NULL, 10);
    char *end = e; /* strip the mantissa's trailing zeros, keeping one digit after the point */
    while (end > tmp + 2 && end[-1] == '0' && end[-2] != '.')
        end--;
    *end = '\0';
    snprintf(out, 64, "%sE%ld", tmp, exp);
}

/*
 * A number is an xsd:double when its ECMAScript text has a '.' or it is at
 * least 1e21 — jsonld.js's rule, which verifiers we meet use.  (It differs
 * from the spec's "non-zero fractional part" only for numbers like 1e-7,
 * which jsonld.js writes as the integer "0"; our credentials have none.)
 */
static bool number_is_double(const cJSON *v)
{
    if (fabs(v->valuedouble) >= 1e21)
        return true;
    struct mc_buf text;
    mc_buf_init(&text, 64);
    bool has_point = jcs_serialize(v, &text) == MC_OK && strchr(text.data, '.') != NULL;
    mc_buf_release(&text);
    return has_point;
}

static bool literal_term(struct emit *e, const cJSON *item, struct mc_rdf_term *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "@value");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(item, "@type");
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(item, "@language");
    const char *dt = cJSON_IsString(t) ? t->valuestring : NULL;
    const char *lang = cJSON_IsString(l) ? l->valuestring : NULL;
    *out = (struct mc_rdf_term){.kind = MC_RDF_DEFAULT_GRAPH};
    struct mc_buf lex;
    mc_buf_init(&lex, MC_JSONLD_MAX_MEMORY);
    enum mc_err rc = MC_OK;
    if (streq(dt, "@json")) {
        rc = jcs_serialize(v, &lex);
        dt = RDF_JSON;
    } else if (dt && (!iri_is_absolute(dt) || iri_is_bnode(dt))) {
        mc_buf_release(&lex);
        return true; /* not a well-formed datatype IRI: no triple */
    } else if (cJSON_IsBool(v)) {
        rc = mc_buf_appends(&lex, cJSON_IsTrue(v) ? "true" : "false");
        dt = dt ? dt : XSD_BOOLEAN;
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        char num[64];
        if (number_is_double(v) || streq(dt, XSD_DOUBLE)) {
            format_double(d, num);
            dt = dt ? dt : XSD_DOUBLE;
        } else {
            snprintf(num, sizeof num, "%.0f", d == 0.0 ? 0.0 : d); /* no "-0" for zero */
            dt = dt ? dt : XSD_INTEGER;
        }
        rc = mc_buf_appends(&lex, num);
    } else if (cJSON_IsString(v)) {
        rc = mc_buf_appends(&lex, v->valuestring);
        dt = lang ? RDF_LANGSTRING : (dt ? dt : XSD_STRING);
    } else {
        mc_buf_release(&lex);
        return true;
    }
    if (rc != MC_OK) {
        ld_fail(e->ld, rc, "could not write a literal");
        return false;
    }
    char *value = arena_strndup(&e->ds->arena, lex.data, lex.len);
    char *dtc = arena_strdup(&e->ds->arena, dt);
    char *langc = lang ? arena_strdup(&e->ds->arena, lang) : NULL;
    size_t len = lex.len;
    mc_buf_release(&lex);
    if (!value || !dtc || (lang && !langc)) {
        ld_nomem(e->ld);
        return false;
    }
    *out = (struct mc_rdf_term){
        .kind = MC_RDF_LITERAL, .value = value, .len = len, .datatype = dtc, .language = langc};
    return true;
}

static bool emit_node(struct emit *e, const cJSON *node, const struct mc_rdf_term *graph,
                      struct mc_rdf_term *out_subject);

/* Object to RDF (§8.1.5) and List Conversion (§8.1.6). */
static bool object_term(struct emit *e, const cJSON *item, const struct mc_rdf_term *graph,
                        struct mc_rdf_term *out)
{
    if (cJSON_GetObjectItemCaseSensitive(item, "@value"))
        return literal_term(e, item, out);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(item, "@list");
    if (!list)
        return emit_node(e, item, graph, out);
    struct mc_rdf_term first, rest, nil;
    const_iri(e, RDF_FIRST, &first);
    const_iri(e, RDF_REST, &rest);
    const_iri(e, RDF_NIL, &nil);
    if (!list->child) {
        *out = nil;
        return true;
    }
    struct mc_rdf_term head = fresh_bnode(e), cur = head;
    for (const cJSON *li = list->child; li; li = li->next) {
        struct mc_rdf_term obj;
        if (!object_term(e, li, graph, &obj) || !emit_quad(e, &cur, &first, &obj, graph))
            return false;
        struct mc_rdf_term next = li->next ? fresh_bnode(e) : nil;
        if (!emit_quad(e, &cur, &rest, &next, graph))
            return false;
        cur = next;
    }
    *out = head;
    return true;
}

static bool emit_node(struct emit *e, const cJSON *node, const struct mc_rdf_term *graph,
                      struct mc_rdf_term *out_subject)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(node, "@id");
    struct mc_rdf_term subject;
    if (cJSON_IsString(id)) {
        if (!iri_term(e, id->valuestring, &subject))
            return false;
    } else {
        subject = fresh_bnode(e);
    }
    struct mc_rdf_term rdf_type;
    const_iri(e, RDF_TYPE, &rdf_type);
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(node, "@type");
    const cJSON *t;
    cJSON_ArrayForEach(t, types)
    {
        struct mc_rdf_term type;
        if (!cJSON_IsString(t))
            continue;
        if (!iri_term(e, t->valuestring, &type) || !emit_quad(e, &subject, &rdf_type, &type, graph))
            return false;
    }
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(node, "@graph");
    if (g && subject.kind != MC_RDF_DEFAULT_GRAPH) {
        const cJSON *gn;
        cJSON_ArrayForEach(gn, g)
        {
            struct mc_rdf_term ignored;
            if (cJSON_GetObjectItemCaseSensitive(gn, "@value") ||
                cJSON_GetObjectItemCaseSensitive(gn, "@list"))
                continue;
            if (!emit_node(e, gn, &subject, &ignored))
                return false;
        }
    }
    const cJSON *p;
    cJSON_ArrayForEach(p, node)
    {
        if (p->string[0] == '@')
            continue;
        struct mc_rdf_term pred;
        if (!iri_term(e, p->string, &pred))
            return false;
        const cJSON *item;
        cJSON_ArrayForEach(item, p)
        {
            struct mc_rdf_term obj;
            if (!object_term(e, item, graph, &obj) || !emit_quad(e, &subject, &pred, &obj, graph))
                return false;
        }
    }
    *out_subject = subject;
    return true;
}

/* ---- the entry point ---------------------------------------------------- */

static void ld_release(struct ld *ld)
{
    for (size_t i = 0; i < N_BUNDLED; i++)
        cJSON_Delete(ld->loaded[i].doc);
    arena_release(&ld->arena);
}

enum mc_err mc_jsonld_to_rdf(const cJSON *doc, struct mc_rdf_dataset **out, struct mc_error *err)
{
    struct ld ld = {.err = err, .code = MC_OK};
    arena_init(&ld.arena, MC_JSONLD_MAX_MEMORY);
    struct mc_rdf_dataset *ds = NULL;
    cJSON *expanded = NULL;
    struct ctx *active = ctx_new(&ld);
    if (!active)
        goto out;
    if (!cJSON_IsObject(doc) && !cJSON_IsArray(doc)) {
        ld_fail(&ld, MC_ERR_INVALID, "a JSON-LD document must be an object or an array");
        goto out;
    }
    expanded = expand(&ld, active, NULL, doc, false);
    if (ld.code)
        goto out;
    /* A top-level map with only @graph stands for its graph's nodes. */
    if (cJSON_IsObject(expanded) && cJSON_GetArraySize(expanded) == 1 &&
        cJSON_GetObjectItemCaseSensitive(expanded, "@graph")) {
        cJSON *g = cJSON_DetachItemFromObjectCaseSensitive(expanded, "@graph");
        cJSON_Delete(expanded);
        expanded = g;
    }
    expanded = as_array(&ld, expanded ? expanded : cJSON_CreateArray());
    if (ld.code || !expanded) {
        ld_nomem(&ld);
        goto out;
    }
    ds = rdf_dataset_new();
    if (!ds) {
        ld_nomem(&ld);
        goto out;
    }
    struct emit e = {.ld = &ld, .ds = ds};
    struct mc_rdf_term dflt = {.kind = MC_RDF_DEFAULT_GRAPH};
    const cJSON *node;
    cJSON_ArrayForEach(node, expanded)
    {
        struct mc_rdf_term ignored;
        if (!emit_node(&e, node, &dflt, &ignored))
            break;
    }
out:
    cJSON_Delete(expanded);
    ld_release(&ld);
    if (ld.code != MC_OK) {
        mc_rdf_dataset_free(ds);
        return ld.code;
    }
    *out = ds;
    return MC_OK;
}
