/*
 * dispatch.h — from a complete request to a decided answer.
 *
 * The generic checks happen here, once, in this order, before any
 * handler: route (404/405/414), path ids (404), content type and JSON
 * body (415/400), bearer token form (401), database connection (503),
 * then inside the request's transaction the token's owner (401) and the
 * route's roles (403).  A route with no roles is refused to everyone.
 */
#ifndef MCRED_SERVER_DISPATCH_H
#define MCRED_SERVER_DISPATCH_H

struct request;

/* Decide r->status and r->reply or r->err.  Never fails. */
void dispatch_request(struct request *r);

/*
 * The per-address limit on bad secrets (tokens, invitation codes): the
 * seconds this request's address must still wait (0: none), and counting
 * one more bad secret against it.
 */
unsigned dispatch_bad_secret_wait(struct request *r);
void dispatch_bad_secret(struct request *r);

/*
 * The same brake for a request that presents a token or session whose
 * keyed hash is hash_param ("\x" + hex, as token_hash_param writes it;
 * NULL when there is none to hash): 0 when the address is not slowed, or
 * when this secret authenticated lately (known_tokens.h) — one person's
 * guessing does not lock out the others behind the same address.
 */
unsigned dispatch_secret_wait(struct request *r, const char *hash_param);

/* hash_param's secret authenticated: remember it. */
void dispatch_secret_good(struct request *r, const char *hash_param);

/* hash_param's secret (NULL: a malformed one) was refused: forget it, count it as bad. */
void dispatch_secret_refused(struct request *r, const char *hash_param);

#endif
