-- 0016_dispatcher_batches: one dispatcher pass is one round trip.
--
-- mcred.dispatch_pass records the results of the attempts that finished
-- since the last pass, fans new events out to deliveries and claims the
-- deliveries that are due, in that order, all in the caller's transaction
-- (server/dispatcher.c sends BEGIN, the system setting, the call and
-- COMMIT in one pipeline).  Before, each attempt's result was a
-- transaction of its own and a burst was bounded by commits, not by the
-- receivers (bench/run: 40–350 deliveries/s).
--
-- The dispatcher is woken inside its own process when a request commits
-- (dispatcher_nudge), no longer by LISTEN/NOTIFY: nothing here notifies,
-- and the functions of earlier migrations that did are gone (0015 dropped
-- mcred.scores_record).  Events written by another process are found by
-- that process's own dispatcher, or by the poll (MCRED_DISPATCHER_POLL_MS).

-- The dispatcher records attempts across organisations, as it claims them.
CREATE POLICY system ON mcred.delivery_attempts
    USING (mcred.is_system()) WITH CHECK (mcred.is_system());

-- One pass of a dispatcher, under mcred.system:
--   p_results   finished attempts, a JSON array of {"org", "id", "claim",
--               "status" (succeeded, failed, dead), "failures" (after this
--               attempt), "delay_ms" (until the next one; null: none),
--               "at" (Unix seconds), "http" (null: no answer), "latency"
--               (ms), "error" (null: none), "gone" (410: switch it off)};
--               each is recorded only under the claim it was sent with, so
--               an attempt that outlived its claim overwrites nothing;
--   p_fanout    events at most to fan out (oldest first, SKIP LOCKED);
--   p_limit     deliveries at most to claim (the caller's free slots),
--               never more than p_per_webhook in flight to one
--               subscription, counting p_busy_ids/p_busy_n (those with
--               attempts in flight in the caller's process, and how many);
--   p_claim_s   how long a claim lasts (seconds).
-- Rows out, by kind:
--   'gone'     a recorded 410: org_id, id (the delivery), webhook_id;
--   'claimed'  a claimed delivery, with what it takes to sign and send it;
--   'pass'     last, once: n = events fanned out, next_ms = milliseconds
--              until the next delivery falls due (null: none).
CREATE FUNCTION mcred.dispatch_pass(p_results jsonb, p_fanout integer, p_limit integer,
                                    p_busy_ids uuid[], p_busy_n integer[],
                                    p_per_webhook integer, p_claim_s integer)
    RETURNS TABLE (kind text, org_id uuid, id uuid, claim uuid, webhook_id uuid,
                   event_id text, failures integer, url text, secret_box bytea,
                   previous_box bytea, body text, n bigint, next_ms bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
#variable_conflict use_column
DECLARE
    v_events bigint := 0;
BEGIN
    IF NOT mcred.is_system() THEN
        RAISE EXCEPTION 'mcred.dispatch_pass runs only as the system';
    END IF;

    -- 1. the results, set-based: the deliveries, then one attempt row each
    RETURN QUERY
    WITH r AS (
        SELECT * FROM jsonb_to_recordset(coalesce(p_results, '[]'::jsonb))
            AS r (org uuid, id uuid, claim uuid, status text, failures integer,
                  delay_ms bigint, at double precision, http integer, latency integer,
                  error text, gone boolean)),
    upd AS (
        UPDATE mcred.deliveries d
           SET status = r.status, attempts = d.attempts + 1, failures = r.failures,
               next_attempt_at = CASE WHEN r.delay_ms IS NULL THEN NULL
                                 ELSE now() + make_interval(secs => r.delay_ms / 1000.0) END,
               claim = NULL, last_attempt_at = to_timestamp(r.at), response_status = r.http,
               latency_ms = r.latency, error = r.error, updated_at = now()
          FROM r
         WHERE d.org_id = r.org AND d.id = r.id AND d.claim = r.claim
        RETURNING d.org_id, d.id, d.webhook_id, d.attempts, r.at, r.http, r.latency, r.error,
                  coalesce(r.gone, false) AS gone),
    ins AS (
        INSERT INTO mcred.delivery_attempts
            (org_id, delivery_id, attempt, at, response_status, latency_ms, error)
        SELECT u.org_id, u.id, u.attempts, to_timestamp(u.at), u.http, u.latency, u.error
          FROM upd u
        RETURNING 1)
    -- (a data-modifying WITH runs whether or not it is read)
    SELECT 'gone'::text, u.org_id, u.id, NULL::uuid, u.webhook_id, NULL::text, NULL::integer,
           NULL::text, NULL::bytea, NULL::bytea, NULL::text, NULL::bigint, NULL::bigint
      FROM upd u WHERE u.gone;

    -- 2. new events to a delivery per matching active subscription, set-based
    IF p_fanout > 0 THEN
        WITH ev AS (
            SELECT e.org_id, e.id, e.type FROM mcred.events e WHERE e.dispatched_at IS NULL
             ORDER BY e.seq LIMIT p_fanout FOR UPDATE SKIP LOCKED),
        fan AS (
            INSERT INTO mcred.deliveries (org_id, webhook_id, event_id, event_type)
            SELECT ev.org_id, w.id, ev.id, ev.type
              FROM ev JOIN mcred.webhooks w ON w.org_id = ev.org_id
             WHERE w.active AND ev.type <> 'webhook.test'
               AND (ev.type = ANY (w.events) OR '*' = ANY (w.events))
            ON CONFLICT DO NOTHING RETURNING 1),
        done AS (
            UPDATE mcred.events e SET dispatched_at = now() FROM ev
             WHERE e.org_id = ev.org_id AND e.id = ev.id RETURNING 1)
        SELECT count(*) FROM done INTO v_events;
    END IF;

    -- 3. claims: each active subscription's oldest due deliveries through
    -- deliveries_due_by_webhook (0009), one index probe per subscription.
    -- The free slots go round the subscriptions in turns, counting what
    -- each has in flight already (`turn`), so that those whose receivers
    -- hang, holding their slots for a whole timeout, get no more of them
    -- than the others; oldest first within a turn.
    IF p_limit > 0 THEN
        RETURN QUERY
        WITH busy AS (
            SELECT * FROM unnest(p_busy_ids, p_busy_n) AS b (webhook_id, n)),
        due AS (
            SELECT q.org_id, q.id, q.next_attempt_at,
                   coalesce(b.n, 0)
                   + row_number() OVER (PARTITION BY w.id ORDER BY q.next_attempt_at) AS turn
              FROM mcred.webhooks w
              LEFT JOIN busy b ON b.webhook_id = w.id
             CROSS JOIN LATERAL (
                SELECT d.org_id, d.id, d.next_attempt_at FROM mcred.deliveries d
                 WHERE d.org_id = w.org_id AND d.webhook_id = w.id
                   AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()
                 ORDER BY d.next_attempt_at
                 LIMIT greatest(p_per_webhook - coalesce(b.n, 0), 0)
                 FOR UPDATE SKIP LOCKED) q
             WHERE w.active),
        pick AS (
            SELECT due.org_id, due.id FROM due
             ORDER BY due.turn, due.next_attempt_at LIMIT p_limit),
        upd AS (
            UPDATE mcred.deliveries d
               SET next_attempt_at = now() + make_interval(secs => p_claim_s),
                   claim = gen_random_uuid(), updated_at = now()
              FROM pick
             WHERE d.org_id = pick.org_id AND d.id = pick.id
            RETURNING d.org_id, d.id, d.claim, d.webhook_id, d.event_id, d.failures)
        SELECT 'claimed'::text, u.org_id, u.id, u.claim, u.webhook_id, u.event_id, u.failures,
               w.url, w.secret_box,
               CASE WHEN w.previous_until > now() THEN w.previous_box END,
               json_build_object('type', e.type, 'timestamp', mcred.rfc3339(e.created_at),
                                 'data', e.payload)::text,
               NULL::bigint, NULL::bigint
          FROM upd u
          JOIN mcred.webhooks w ON w.org_id = u.org_id AND w.id = u.webhook_id
          JOIN mcred.events e ON e.org_id = u.org_id AND e.id = u.event_id;
    END IF;

    -- 4. when to look again
    RETURN QUERY
    SELECT 'pass'::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::uuid, NULL::text,
           NULL::integer, NULL::text, NULL::bytea, NULL::bytea, NULL::text, v_events,
           (SELECT greatest(0, ceil(extract(epoch FROM d.next_attempt_at - now()) * 1000))::bigint
              FROM mcred.deliveries d
              JOIN mcred.webhooks w ON w.org_id = d.org_id AND w.id = d.webhook_id
             WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at > now() AND w.active
             ORDER BY d.next_attempt_at LIMIT 1);
END
$$;
