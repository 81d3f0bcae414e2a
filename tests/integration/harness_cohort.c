/*
 * harness_cohort.c — a cohort world to write scores into (harness.h,
 * h_cohort_world_make): an organisation, its coordinator, a published
 * credential of two indicators, and cohorts of coaches and learners.
 *
 * The fast-write tests and the fault tests write thousands of scores into
 * such a cohort; both want the same small credential, so that a score's
 * body is short and each of its three levels means something to the award
 * rule (2 and up counts).  Everything is made over the API, as a
 * coordinator would, so the cohort is as real as any other; every call
 * must answer what it should or the test stops there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The string at `key` of an answer, copied (malloc'd); the test fails when there is none. */
static char *answer_string(const struct h_response *r, const char *key)
{
    const char *v = h_json_string(r->json, key);
    char *copy = v ? strdup(v) : NULL;
    if (!copy)
        h_fail("no \"%s\" in the answer (or out of memory): %s", key, r->body);
    return copy;
}

char *h_credential_two_indicators(const struct h_server *s, const char *token, const char *slug)
{
    char *framework = h_strf(
        "{\"slug\": \"%s\", \"version\": 1, \"title\": \"Reading Data\", \"achievement_type\": "
        "\"Badge\", \"rubric\": [{\"level\": 1, \"label\": \"Beginning\"}, {\"level\": 2, "
        "\"label\": \"Developing\"}, {\"level\": 3, \"label\": \"Accomplished\"}],"
        " \"award_rule\": {\"min_level\": 2, \"min_weekly_attendance\": 0,"
        " \"problem_of_practice_required\": false},"
        " \"standards\": [{\"code\": \"A\", \"title\": \"Reading data\", \"indicators\":"
        " [{\"code\": \"A.1\", \"text\": \"Reads a chart\"}, {\"code\": \"A.2\", \"text\":"
        " \"Asks of the data\"}]}]}",
        slug);
    struct h_response r;
    h_call(s, "POST", "/v1/credentials", token, framework, 201, &r);
    char *id = answer_string(&r, "id");
    h_response_free(&r);
    free(framework);
    char *publish = h_strf("/v1/credentials/%s/publish", id);
    h_call(s, "POST", publish, token, NULL, 200, &r);
    h_response_free(&r);
    free(publish);
    return id;
}

void h_cohort_world_make(const struct h_server *server, const char *slug,
                         struct h_cohort_world *out)
{
    memset(out, 0, sizeof *out);
    out->server = server;
    out->slug = slug;
    char *email = h_strf("admin@%s.example", slug);
    out->admin = h_bootstrap(server, slug, email);
    free(email);
    email = h_strf("coordinator@%s.example", slug);
    char *id = h_person(server, out->admin, email, "Coordinator", "coordinator");
    out->coordinator = h_token_for(server, out->admin, id);
    free(id);
    free(email);
    out->credential = h_credential_two_indicators(server, out->coordinator, "reading-data");
}

void h_cohort_world_free(struct h_cohort_world *w)
{
    free(w->admin);
    free(w->coordinator);
    free(w->credential);
    memset(w, 0, sizeof *w);
}

/* Append one member to the JSON array text in *list (both malloc'd). */
static void member_add(char **list, const char *email, const char *coach_email)
{
    char *next = coach_email ? h_strf("%s%s{\"email\": \"%s\", \"coach\": \"%s\"}", *list,
                                      **list ? ", " : "", email, coach_email)
                             : h_strf("%s%s{\"email\": \"%s\", \"role\": \"coach\"}", *list,
                                      **list ? ", " : "", email);
    free(*list);
    *list = next;
}

void h_cohort_make(const struct h_cohort_world *w, const char *name, int coaches, int learners,
                   struct h_cohort *out)
{
    if (coaches < 1 || coaches > H_COHORT_MAX_COACHES || learners < 1 ||
        learners > H_COHORT_MAX_LEARNERS)
        h_fail("a cohort of %d coaches and %d learners is more than the harness holds", coaches,
               learners);
    memset(out, 0, sizeof *out);
    out->coaches = coaches;
    out->learners = learners;
    char *body = h_strf("{\"credential\": \"%s\", \"name\": \"%s\", \"starts_on\": \"2026-09-01\","
                        " \"ends_on\": \"2026-12-01\", \"timezone\": \"UTC\", \"capacity\": 20}",
                        w->credential, name);
    struct h_response r;
    h_call(w->server, "POST", "/v1/cohorts", w->coordinator, body, 201, &r);
    out->id = answer_string(&r, "id");
    out->slug = answer_string(&r, "slug");
    h_response_free(&r);
    free(body);
    out->scores_path = h_strf("/v1/cohorts/%s/scores", out->id);

    char *members = h_strf("%s", "");
    for (int k = 0; k < coaches; k++) {
        out->coach_email[k] = h_strf("coach%d.%s@%s.example", k, out->slug, w->slug);
        char *id = h_person(w->server, w->coordinator, out->coach_email[k], "Coach", NULL);
        out->coach_token[k] = h_token_for(w->server, w->admin, id);
        free(id);
        member_add(&members, out->coach_email[k], NULL);
    }
    for (int i = 0; i < learners; i++) {
        out->learner_email[i] = h_strf("learner%d.%s@%s.example", i, out->slug, w->slug);
        out->learner_id[i] =
            h_person(w->server, w->coordinator, out->learner_email[i], "Learner", NULL);
        member_add(&members, out->learner_email[i], out->coach_email[i % coaches]);
    }
    body = h_strf("{\"members\": [%s]}", members);
    char *path = h_strf("/v1/cohorts/%s/members", out->id);
    h_call(w->server, "POST", path, w->coordinator, body, 201, &r);
    h_response_free(&r);
    free(path);
    free(body);
    free(members);
}

void h_cohort_free(struct h_cohort *c)
{
    free(c->id);
    free(c->slug);
    free(c->scores_path);
    for (int k = 0; k < H_COHORT_MAX_COACHES; k++) {
        free(c->coach_email[k]);
        free(c->coach_token[k]);
    }
    for (int i = 0; i < H_COHORT_MAX_LEARNERS; i++) {
        free(c->learner_email[i]);
        free(c->learner_id[i]);
    }
    memset(c, 0, sizeof *c);
}
