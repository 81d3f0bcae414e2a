/*
 * person.h — people as the tool finds and shows them.
 *
 * Commands that take a person (`people show`, `people update`,
 * `token create --person`, later `member add`) accept an id or an e-mail
 * address; cli_person_id() turns either into an id, looking e-mails up
 * with GET /v1/people?email=.  A person is shown with their attributes
 * spread into columns, so cli_person_print() and cli_people_print() build
 * those columns from the data:
 *
 *   EMAIL                NAME      ROLE  POSITION   SCHOOL
 *   ana@lincoln.example  Ana Ruiz  none  principal  Lincoln Elementary
 *
 * With more than CLI_PEOPLE_ATTR_COLUMNS different attributes a table has
 * one ATTRIBUTES column ("position=principal, school=Lincoln …") instead.
 * CSV always has a column per attribute, headed by the attribute's name
 * after email,name,role: the shape of a roster, so that
 * `mcred --csv people list --all` can be edited and imported back.
 */
#ifndef MCRED_CLI_PERSON_H
#define MCRED_CLI_PERSON_H

#include <cjson/cJSON.h>

#include "mcred/buf.h"

#include "cli.h"

/* A table has a column per attribute up to this many different ones. */
#define CLI_PEOPLE_ATTR_COLUMNS 6
/* Different attribute names a list may show; more is an error (use --json). */
#define CLI_PEOPLE_MAX_ATTR_KEYS 256

/*
 * Find the person whose e-mail is `email` (GET /v1/people?email=…).  On
 * success *out_person is that item (free it with cJSON_Delete).  When
 * there is none: "mcred: no person with e-mail …" and CLI_EXIT_NOT_FOUND.
 * Other failures are printed and their exit code returned.
 */
int cli_person_by_email(const struct cli_ctx *ctx, const char *email, cJSON **out_person);

/*
 * Put the id of the person `arg` names into *out_id: an argument with an
 * '@' is an e-mail and is looked up (cli_person_by_email); anything else
 * is taken to be an id, unchecked (the request that uses it says 404).
 */
int cli_person_id(const struct cli_ctx *ctx, const char *arg, struct mc_buf *out_id);

/* Print one person (an answer's object) in ctx->format; --json prints it as compact JSON. */
int cli_person_print(const struct cli_ctx *ctx, const cJSON *person);

/* Print a list {"items": [...], "next": …} of people; --json prints the list itself. */
int cli_people_print(const struct cli_ctx *ctx, const cJSON *list);

#endif
