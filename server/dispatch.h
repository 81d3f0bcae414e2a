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

#endif
