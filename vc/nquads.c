/*
 * nquads.c — N-Quads in and out.
 *
 * Out: the canonical form of RDFC-1.0 §4.4 / RDF 1.1 N-Quads: IRIs written
 * as they are; in literals only ", \, LF and CR and the other C0 controls
 * and DEL are escaped (\b \t \n \f \r as ECHAR, the rest as \u00XX with
 * upper-case hex); "^^<…>" is left out for xsd:string and rdf:langString.
 *
 * In: a small parser of RDF 1.1 N-Quads, enough for the W3C rdf-canon
 * test files and for reading back what we write: UCHAR and ECHAR escapes,
 * language tags, datatypes, comments and blank lines.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vc_internal.h"

#include "mcred/banned.h"

static enum mc_err literal_escaped(struct mc_buf *b, const char *s, size_t len)
{
    enum mc_err rc = MC_OK;
    for (size_t i = 0; rc == MC_OK && i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            rc = mc_buf_appends(b, "\\\"");
            break;
        case '\\':
            rc = mc_buf_appends(b, "\\\\");
            break;
        case '\n':
            rc = mc_buf_appends(b, "\\n");
            break;
        case '\r':
            rc = mc_buf_appends(b, "\\r");
            break;
        case '\b':
            rc = mc_buf_appends(b, "\\b");
            break;
        case '\t':
            rc = mc_buf_appends(b, "\\t");
            break;
        case '\f':
            rc = mc_buf_appends(b, "\\f");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                rc = mc_buf_appendf(b, "\\u%04X", c);
            else
                rc = mc_buf_appendc(b, (char)c);
        }
    }
    return rc;
}

enum mc_err nquads_term(struct mc_buf *b, const struct mc_rdf_term *t, const char *label)
{
    enum mc_err rc;
    switch (t->kind) {
    case MC_RDF_IRI:
        rc = mc_buf_appendc(b, '<');
        if (rc == MC_OK)
            rc = mc_buf_append(b, t->value, t->len);
        return rc == MC_OK ? mc_buf_appendc(b, '>') : rc;
    case MC_RDF_BNODE:
        if (label)
            return mc_buf_appendf(b, "_:%s", label);
        return mc_buf_appendf(b, "_:b%zu", t->bnode);
    case MC_RDF_LITERAL:
        rc = mc_buf_appendc(b, '"');
        if (rc == MC_OK)
            rc = literal_escaped(b, t->value, t->len);
        if (rc == MC_OK)
            rc = mc_buf_appendc(b, '"');
        if (rc == MC_OK && t->language)
            return mc_buf_appendf(b, "@%s", t->language);
        if (rc == MC_OK && strcmp(t->datatype, XSD_STRING) != 0)
            return mc_buf_appendf(b, "^^<%s>", t->datatype);
        return rc;
    case MC_RDF_DEFAULT_GRAPH:
        return MC_OK;
    }
    return MC_ERR_INTERNAL;
}

/* ---- the parser --------------------------------------------------------- */

struct parser {
    const char *p, *end;
    size_t line;
    struct mc_rdf_dataset *ds;
    struct mc_error *err;
    const char **labels; /* blank node labels in order of first use */
    size_t nlabels, caplabels;
};

static enum mc_err bad(struct parser *ps, const char *what)
{
    return mc_error_set(ps->err, MC_ERR_MALFORMED, NULL, "could not parse N-Quads line %zu: %s",
                        ps->line, what);
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
        ps->p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static enum mc_err put_utf8(struct mc_buf *b, uint32_t c)
{
    char u[4];
    size_t n;
    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xc0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xe0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        u[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    return mc_buf_append(b, u, n);
}

/* \uXXXX or \UXXXXXXXX at ps->p (just after the backslash and letter). */
static enum mc_err uchar(struct parser *ps, int digits, struct mc_buf *b)
{
    if (ps->end - ps->p < digits)
        return bad(ps, "short \\u escape");
    uint32_t c = 0;
    for (int i = 0; i < digits; i++) {
        int v = hexval(ps->p[i]);
        if (v < 0)
            return bad(ps, "bad \\u escape");
        c = c * 16 + (uint32_t)v;
    }
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return bad(ps, "escape outside Unicode");
    ps->p += digits;
    return put_utf8(b, c);
}

static enum mc_err read_iri(struct parser *ps, const char **out)
{
    struct mc_buf b;
    mc_buf_init(&b, 1 << 20);
    ps->p++; /* '<' */
    enum mc_err rc = MC_OK;
    while (rc == MC_OK && ps->p < ps->end && *ps->p != '>') {
        char c = *ps->p++;
        if (c == '\\' && ps->p < ps->end && (*ps->p == 'u' || *ps->p == 'U')) {
            int digits = *ps->p++ == 'u' ? 4 : 8;
            rc = uchar(ps, digits, &b);
        } else if ((unsigned char)c <= 0x20 || strchr("<\"{}|^`\\", c)) {
            rc = bad(ps, "character not allowed in an IRI");
        } else {
            rc = mc_buf_appendc(&b, c);
        }
    }
    if (rc == MC_OK && ps->p >= ps->end)
        rc = bad(ps, "IRI without '>'");
    if (rc == MC_OK && memchr(b.data, '\0', b.len))
        rc = bad(ps, "U+0000 in an IRI");
    if (rc == MC_OK) {
        ps->p++;
        *out = arena_strndup(&ps->ds->arena, b.data, b.len);
        if (!*out)
            rc = mc_error_set(ps->err, MC_ERR_NOMEM, NULL, NULL);
    }
    mc_buf_release(&b);
    return rc;
}

static enum mc_err read_bnode(struct parser *ps, struct mc_rdf_term *t)
{
    ps->p += 2; /* "_:" */
    const char *start = ps->p;
    while (ps->p < ps->end && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '\n' && *ps->p != '\r' &&
           *ps->p != '<' && *ps->p != '"')
        ps->p++;
    /* a label does not end in '.', which then ends the statement */
    while (ps->p > start && ps->p[-1] == '.')
        ps->p--;
    if (ps->p == start)
        return bad(ps, "empty blank node label");
    size_t n = (size_t)(ps->p - start);
    for (size_t i = 0; i < ps->nlabels; i++) {
        if (strlen(ps->labels[i]) == n && memcmp(ps->labels[i], start, n) == 0) {
            *t = (struct mc_rdf_term){.kind = MC_RDF_BNODE, .bnode = i};
            return MC_OK;
        }
    }
    if (ps->nlabels >= MC_JSONLD_MAX_BNODE_LABELS)
        return bad(ps, "too many blank node labels");
    if (ps->nlabels == ps->caplabels) {
        size_t cap = ps->caplabels ? ps->caplabels * 2 : 16;
        const char **labels = realloc(ps->labels, cap * sizeof *labels);
        if (!labels)
            return mc_error_set(ps->err, MC_ERR_NOMEM, NULL, NULL);
        ps->labels = labels;
        ps->caplabels = cap;
    }
    const char *label = arena_strndup(&ps->ds->arena, start, n);
    if (!label)
        return mc_error_set(ps->err, MC_ERR_NOMEM, NULL, NULL);
    ps->labels[ps->nlabels++] = label;
    *t = (struct mc_rdf_term){.kind = MC_RDF_BNODE, .bnode = rdf_dataset_bnode(ps->ds)};
    return MC_OK;
}

static enum mc_err read_literal(struct parser *ps, struct mc_rdf_term *t)
{
    struct mc_buf b;
    mc_buf_init(&b, 1 << 24);
    ps->p++; /* '"' */
    enum mc_err rc = MC_OK;
    while (rc == MC_OK && ps->p < ps->end && *ps->p != '"') {
        char c = *ps->p++;
        if (c == '\n' || c == '\r') {
            rc = bad(ps, "line break in a literal");
        } else if (c != '\\') {
            rc = mc_buf_appendc(&b, c);
        } else if (ps->p >= ps->end) {
            rc = bad(ps, "escape at the end");
        } else {
            char e = *ps->p++;
            const char *from = "tbnrf\"'\\", *to = "\t\b\n\r\f\"'\\";
            const char *pos = strchr(from, e);
            if (e == 'u' || e == 'U')
                rc = uchar(ps, e == 'u' ? 4 : 8, &b);
            else if (e && pos)
                rc = mc_buf_appendc(&b, to[pos - from]);
            else
                rc = bad(ps, "unknown escape in a literal");
        }
    }
    if (rc == MC_OK && ps->p >= ps->end)
        rc = bad(ps, "literal without closing quote");
    const char *value = NULL;
    size_t len = b.len;
    if (rc == MC_OK) {
        ps->p++;
        value = arena_strndup(&ps->ds->arena, b.data, b.len);
        if (!value)
            rc = mc_error_set(ps->err, MC_ERR_NOMEM, NULL, NULL);
    }
    mc_buf_release(&b);
    if (rc != MC_OK)
        return rc;
    *t = (struct mc_rdf_term){
        .kind = MC_RDF_LITERAL, .value = value, .len = len, .datatype = XSD_STRING};
    if (ps->p < ps->end && *ps->p == '@') {
        const char *start = ++ps->p;
        while (ps->p < ps->end &&
               ((*ps->p >= 'a' && *ps->p <= 'z') || (*ps->p >= 'A' && *ps->p <= 'Z') ||
                (*ps->p >= '0' && *ps->p <= '9') || *ps->p == '-'))
            ps->p++;
        if (ps->p == start)
            return bad(ps, "empty language tag");
        char *lang = arena_strndup(&ps->ds->arena, start, (size_t)(ps->p - start));
        if (!lang)
            return mc_error_set(ps->err, MC_ERR_NOMEM, NULL, NULL);
        t->language = lang;
        t->datatype = RDF_LANGSTRING;
    } else if (ps->end - ps->p >= 3 && ps->p[0] == '^' && ps->p[1] == '^' && ps->p[2] == '<') {
        ps->p += 2;
        return read_iri(ps, &t->datatype);
    }
    return MC_OK;
}

static enum mc_err read_term(struct parser *ps, struct mc_rdf_term *t, bool literal_ok)
{
    skip_ws(ps);
    if (ps->p >= ps->end)
        return bad(ps, "unexpected end of line");
    if (*ps->p == '<') {
        const char *iri = NULL;
        enum mc_err rc = read_iri(ps, &iri);
        if (rc == MC_OK)
            *t = (struct mc_rdf_term){.kind = MC_RDF_IRI, .value = iri, .len = strlen(iri)};
        return rc;
    }
    if (ps->end - ps->p >= 2 && ps->p[0] == '_' && ps->p[1] == ':')
        return read_bnode(ps, t);
    if (*ps->p == '"' && literal_ok)
        return read_literal(ps, t);
    return bad(ps, "expected an IRI, a blank node or a literal");
}

static enum mc_err read_statement(struct parser *ps)
{
    struct mc_rdf_quad q = {0};
    enum mc_err rc = read_term(ps, &q.s, false);
    if (rc == MC_OK && q.s.kind == MC_RDF_LITERAL)
        rc = bad(ps, "a literal cannot be a subject");
    if (rc == MC_OK)
        rc = read_term(ps, &q.p, false);
    if (rc == MC_OK && q.p.kind != MC_RDF_IRI)
        rc = bad(ps, "a predicate must be an IRI");
    if (rc == MC_OK)
        rc = read_term(ps, &q.o, true);
    if (rc != MC_OK)
        return rc;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p != '.') {
        rc = read_term(ps, &q.g, false);
        if (rc != MC_OK)
            return rc;
        skip_ws(ps);
    }
    if (ps->p >= ps->end || *ps->p != '.')
        return bad(ps, "expected '.'");
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '#')
        while (ps->p < ps->end && *ps->p != '\n')
            ps->p++;
    if (ps->p < ps->end && *ps->p != '\n' && *ps->p != '\r')
        return bad(ps, "text after '.'");
    return rdf_dataset_add(ps->ds, &q, ps->err);
}

enum mc_err mc_nquads_parse(const char *text, size_t len, struct mc_rdf_dataset **out,
                            struct mc_error *err)
{
    struct parser ps = {.p = text, .end = text + len, .line = 1, .err = err};
    ps.ds = rdf_dataset_new();
    if (!ps.ds)
        return mc_error_set(err, MC_ERR_NOMEM, NULL, NULL);
    enum mc_err rc = MC_OK;
    while (rc == MC_OK && ps.p < ps.end) {
        skip_ws(&ps);
        if (ps.p < ps.end && *ps.p == '#') {
            while (ps.p < ps.end && *ps.p != '\n')
                ps.p++;
        } else if (ps.p < ps.end && *ps.p != '\n' && *ps.p != '\r') {
            rc = read_statement(&ps);
        }
        while (rc == MC_OK && ps.p < ps.end && (*ps.p == '\n' || *ps.p == '\r')) {
            if (*ps.p == '\n')
                ps.line++;
            ps.p++;
        }
    }
    free(ps.labels);
    if (rc != MC_OK) {
        mc_rdf_dataset_free(ps.ds);
        return rc;
    }
    *out = ps.ds;
    return MC_OK;
}
