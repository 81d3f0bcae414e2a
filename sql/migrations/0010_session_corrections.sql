-- 0010_session_corrections: sessions can be corrected (moved, cancelled,
-- restored, marked held, deleted while nothing hangs on them), scheduling
-- refuses duplicates and sessions outside the cohort's dates, and a
-- cohort's status follows its dates unless set by hand.
--
-- The checks live here, in one function per write, so that each write is
-- one round trip and its refusals are worded once: a function answers
-- either the rows it wrote or (problem, message) rows saying why it wrote
-- nothing.  Messages name sessions the way a coordinator sees them:
-- "Week 1 on 2027-02-02 17:00" on the cohort's clock.

ALTER TABLE mcred.sessions
    ADD COLUMN IF NOT EXISTS cancelled_at timestamptz,
    ADD COLUMN IF NOT EXISTS cancel_reason text,
    ADD COLUMN IF NOT EXISTS held_at timestamptz;

-- status_source 'dates': planned before starts_on, active from it (or from
-- the first session held), closed from closes_on.  'hand': the status a
-- coordinator set, until they give it back to the dates.  closes_on
-- closes a cohort whichever the source.
ALTER TABLE mcred.cohorts
    ADD COLUMN IF NOT EXISTS closes_on date,
    ADD COLUMN IF NOT EXISTS status_source text NOT NULL DEFAULT 'dates'
        CHECK (status_source IN ('dates', 'hand'));
-- statuses set before this migration were set by hand
UPDATE mcred.cohorts SET status_source = 'hand' WHERE status <> 'planned';

-- The effective status of a cohort, exact at every moment without a job.
CREATE FUNCTION mcred.cohort_status(p_org uuid, p_id uuid, p_status text, p_source text,
                                    p_starts date, p_closes date, p_tz text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT CASE
    WHEN p_source = 'hand' AND p_status = 'closed' THEN 'closed'
    WHEN p_closes IS NOT NULL AND (now() AT TIME ZONE p_tz)::date >= p_closes THEN 'closed'
    WHEN p_source = 'hand' THEN p_status
    WHEN (now() AT TIME ZONE p_tz)::date >= p_starts THEN 'active'
    WHEN EXISTS (SELECT 1 FROM mcred.sessions s
                  WHERE s.org_id = p_org AND s.cohort_id = p_id AND s.cancelled_at IS NULL
                    AND (s.starts_at <= now() OR s.held_at IS NOT NULL)) THEN 'active'
    ELSE 'planned' END
$$;

-- Which of the two decided it: 'hand' or 'dates' (closes_on is a date).
CREATE FUNCTION mcred.cohort_status_source(p_status text, p_source text, p_closes date,
                                           p_tz text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT CASE
    WHEN p_source = 'hand' AND p_status = 'closed' THEN 'hand'
    WHEN p_closes IS NOT NULL AND (now() AT TIME ZONE p_tz)::date >= p_closes THEN 'dates'
    ELSE p_source END
$$;

-- scheduled, held (started or marked held) or cancelled
CREATE FUNCTION mcred.session_status(p_starts timestamptz, p_held timestamptz,
                                     p_cancelled timestamptz) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT CASE WHEN p_cancelled IS NOT NULL THEN 'cancelled'
            WHEN p_held IS NOT NULL OR p_starts <= now() THEN 'held'
            ELSE 'scheduled' END
$$;

-- "Week 1 on 2027-02-02 17:00": a session as its cohort's clock shows it
CREATE FUNCTION mcred.session_label(p_title text, p_starts timestamptz, p_tz text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT p_title || ' on ' || to_char(p_starts AT TIME ZONE p_tz, 'YYYY-MM-DD HH24:MI')
$$;

-- "a, b and c" (at most `shown`, then "and N more")
CREATE FUNCTION mcred.text_list(p_items text[], p_shown integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT CASE
    WHEN n <= 1 THEN coalesce(p_items[1], '')
    WHEN n <= p_shown THEN array_to_string(p_items[1:n - 1], ', ') || ' and ' || p_items[n]
    ELSE array_to_string(p_items[1:p_shown], ', ') || ' and ' || (n - p_shown) || ' more' END
  FROM (SELECT coalesce(cardinality(p_items), 0) AS n) x
$$;

-- A session's item: its status and its cancellation.  (The cohort item's
-- status, status_source and closes_on are in 0013's cohort_items, the one
-- definition of that view this release makes.)
CREATE OR REPLACE VIEW mcred.session_items WITH (security_invoker = true) AS
SELECT s.org_id, s.id, s.cohort_id, s.kind, s.learner_id, s.starts_at,
       to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || s.id::text AS sort_key,
       json_build_object(
           'id', s.id, 'cohort', s.cohort_id, 'week', s.week, 'kind', s.kind,
           'starts_at', mcred.rfc3339(s.starts_at),
           'local_start', to_char(s.starts_at AT TIME ZONE c.timezone, 'YYYY-MM-DD"T"HH24:MI'),
           'timezone', c.timezone, 'duration_minutes', s.duration_minutes,
           'modality', s.modality, 'title', s.title, 'learner', s.learner_id,
           'status', mcred.session_status(s.starts_at, s.held_at, s.cancelled_at),
           'held_at', mcred.rfc3339(s.held_at),
           'cancelled_at', mcred.rfc3339(s.cancelled_at), 'cancel_reason', s.cancel_reason
       ) AS item
  FROM mcred.sessions s
  JOIN mcred.cohorts c ON c.org_id = s.org_id AND c.id = s.cohort_id;

-- A cancelled session takes no attendance (the attendance route says so
-- in words first; this keeps it true whatever writes).
CREATE FUNCTION mcred.attendance_session_open() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM mcred.sessions s WHERE s.org_id = NEW.org_id
                AND s.id = NEW.session_id AND s.cancelled_at IS NOT NULL) THEN
        RAISE EXCEPTION 'session % is cancelled', NEW.session_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER attendance_session_open BEFORE INSERT OR UPDATE ON mcred.attendance
    FOR EACH ROW EXECUTE FUNCTION mcred.attendance_session_open();

-- Schedule `p_count` sessions a week apart from the local `p_first` on
-- the cohort's clock.  Answers the new sessions' ids, or, writing
-- nothing, one (problem, message) row: 'skipped' (a local time the clocks
-- skip), 'duplicate' (a not-cancelled session of the same kind — and
-- learner — at the same instant; never forced) or 'outside' (outside
-- starts_on..ends_on, unless p_force).  The caller holds the cohort.
CREATE FUNCTION mcred.sessions_schedule(p_org uuid, p_cohort uuid, p_first timestamp,
                                        p_count integer, p_kind text, p_duration integer,
                                        p_modality text, p_title text, p_learner uuid,
                                        p_force boolean)
    RETURNS TABLE (session_id uuid, problem text, message text)
    LANGUAGE plpgsql
    AS $$
DECLARE
    c mcred.cohorts;
    bad text[];
BEGIN
    SELECT * INTO c FROM mcred.cohorts WHERE org_id = p_org AND id = p_cohort;
    SELECT array_agg(to_char(l, 'YYYY-MM-DD HH24:MI') ORDER BY l) INTO bad
      FROM (SELECT p_first + g.n * interval '7 days' AS l
              FROM generate_series(0, p_count - 1) AS g(n)) x
     WHERE (l AT TIME ZONE c.timezone) AT TIME ZONE c.timezone <> l;
    IF bad IS NOT NULL THEN
        RETURN QUERY SELECT NULL::uuid, 'skipped'::text,
            format('%s %s not exist in %s: the clocks change then', mcred.text_list(bad, 3),
                   CASE WHEN cardinality(bad) = 1 THEN 'does' ELSE 'do' END, c.timezone);
        RETURN;
    END IF;
    SELECT array_agg(mcred.session_label(s.title, s.starts_at, c.timezone) ORDER BY s.starts_at)
      INTO bad
      FROM mcred.sessions s
     WHERE s.org_id = p_org AND s.cohort_id = p_cohort AND s.kind = p_kind
       AND s.cancelled_at IS NULL AND s.learner_id IS NOT DISTINCT FROM p_learner
       AND s.starts_at IN (SELECT (p_first + g.n * interval '7 days') AT TIME ZONE c.timezone
                             FROM generate_series(0, p_count - 1) AS g(n));
    IF bad IS NOT NULL THEN
        RETURN QUERY SELECT NULL::uuid, 'duplicate'::text,
            format('%s %s already scheduled; nothing was scheduled', mcred.text_list(bad, 3),
                   CASE WHEN cardinality(bad) = 1 THEN 'is' ELSE 'are' END);
        RETURN;
    END IF;
    IF NOT p_force THEN
        SELECT array_agg(to_char(l, 'YYYY-MM-DD HH24:MI') ORDER BY l) INTO bad
          FROM (SELECT p_first + g.n * interval '7 days' AS l
                  FROM generate_series(0, p_count - 1) AS g(n)) x
         WHERE l::date < c.starts_on OR l::date > c.ends_on;
        IF bad IS NOT NULL THEN
            RETURN QUERY SELECT NULL::uuid, 'outside'::text,
                format('%s %s outside the cohort''s dates, %s to %s; nothing was scheduled '
                       '(force to schedule anyway)',
                       mcred.text_list(bad, 3),
                       CASE WHEN cardinality(bad) = 1 THEN 'falls' ELSE 'fall' END,
                       c.starts_on, c.ends_on);
            RETURN;
        END IF;
    END IF;
    RETURN QUERY
    WITH base AS (SELECT coalesce(max(s.week), 0) AS w FROM mcred.sessions s
                   WHERE s.org_id = p_org AND s.cohort_id = p_cohort AND s.kind = 'weekly'),
    ins AS (
        INSERT INTO mcred.sessions AS s (org_id, cohort_id, week, kind, starts_at,
                                         duration_minutes, modality, title, learner_id)
        SELECT p_org, p_cohort, CASE WHEN p_kind = 'weekly' THEN base.w + g.n + 1 END, p_kind,
               (p_first + g.n * interval '7 days') AT TIME ZONE c.timezone,
               coalesce(p_duration, 90), p_modality,
               coalesce(p_title, CASE WHEN p_kind = 'weekly' THEN 'Week ' || (base.w + g.n + 1)
                                      ELSE 'Coaching' END),
               p_learner
          FROM base, generate_series(0, p_count - 1) AS g(n)
        RETURNING s.id, s.starts_at)
    SELECT ins.id, NULL::text, NULL::text FROM ins ORDER BY ins.starts_at;
END
$$;

-- Correct one session: p_action is 'move' (any of p_local, p_duration,
-- p_modality, p_title, p_held; p_force lets it leave the cohort's
-- dates), 'cancel' (p_reason), 'restore', 'held' or 'delete' (only
-- without attendance; later weekly sessions move up a week, so deleting
-- week 6 of 6 and scheduling one more makes week 6 again).  Locks the
-- session's cohort like every write of a cohort.  Answers one row: on
-- success problem is NULL and before/after are the session's items
-- (after NULL when deleted); else problem ('not_found', 'closed',
-- 'cancelled', 'not_cancelled', 'skipped', 'duplicate', 'outside',
-- 'attended') and a message, and nothing was written.
CREATE FUNCTION mcred.session_correct(p_org uuid, p_session uuid, p_action text,
                                      p_local timestamp, p_duration integer, p_modality text,
                                      p_title text, p_held boolean, p_force boolean,
                                      p_reason text)
    RETURNS TABLE (problem text, message text, cohort_id uuid, before json, after json)
    LANGUAGE plpgsql
    AS $$
DECLARE
    s mcred.sessions;
    c mcred.cohorts;
    label text;
    new_start timestamptz;
    bad text[];
    n bigint;
    item_before json;
    item_after json;
BEGIN
    SELECT * INTO s FROM mcred.sessions x WHERE x.org_id = p_org AND x.id = p_session;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, 'no such session'::text, NULL::uuid,
                            NULL::json, NULL::json;
        RETURN;
    END IF;
    SELECT * INTO c FROM mcred.cohorts x WHERE x.org_id = p_org AND x.id = s.cohort_id FOR UPDATE;
    label := mcred.session_label(s.title, s.starts_at, c.timezone);
    IF mcred.cohort_status(c.org_id, c.id, c.status, c.status_source, c.starts_on, c.closes_on,
                           c.timezone) = 'closed' THEN
        RETURN QUERY SELECT 'closed'::text,
            format('cohort %s is closed: its sessions cannot change', c.name), c.id,
            NULL::json, NULL::json;
        RETURN;
    END IF;
    -- re-read under the cohort's lock
    SELECT * INTO s FROM mcred.sessions x WHERE x.org_id = p_org AND x.id = p_session;
    SELECT i.item INTO item_before FROM mcred.session_items i
     WHERE i.org_id = p_org AND i.id = p_session;

    IF p_action IN ('move', 'held') AND s.cancelled_at IS NOT NULL THEN
        RETURN QUERY SELECT 'cancelled'::text,
            format('%s is cancelled; restore it before changing it', label), c.id,
            NULL::json, NULL::json;
        RETURN;
    ELSIF p_action = 'cancel' AND s.cancelled_at IS NOT NULL THEN
        RETURN QUERY SELECT 'cancelled'::text, format('%s is already cancelled', label), c.id,
            NULL::json, NULL::json;
        RETURN;
    ELSIF p_action = 'restore' AND s.cancelled_at IS NULL THEN
        RETURN QUERY SELECT 'not_cancelled'::text, format('%s is not cancelled', label), c.id,
            NULL::json, NULL::json;
        RETURN;
    END IF;

    IF p_action IN ('move', 'restore') THEN
        new_start := CASE WHEN p_local IS NULL THEN s.starts_at
                          ELSE p_local AT TIME ZONE c.timezone END;
        IF p_local IS NOT NULL
           AND (p_local AT TIME ZONE c.timezone) AT TIME ZONE c.timezone <> p_local THEN
            RETURN QUERY SELECT 'skipped'::text,
                format('%s does not exist in %s: the clocks change then',
                       to_char(p_local, 'YYYY-MM-DD HH24:MI'), c.timezone), c.id,
                NULL::json, NULL::json;
            RETURN;
        END IF;
        -- (a move that keeps the start is not checked: sessions duplicated
        -- before this migration can still have their other fields corrected)
        SELECT array_agg(mcred.session_label(o.title, o.starts_at, c.timezone)) INTO bad
          FROM mcred.sessions o
         WHERE (p_local IS NOT NULL OR p_action = 'restore')
           AND o.org_id = p_org AND o.cohort_id = s.cohort_id AND o.id <> s.id
           AND o.kind = s.kind AND o.learner_id IS NOT DISTINCT FROM s.learner_id
           AND o.cancelled_at IS NULL AND o.starts_at = new_start;
        IF bad IS NOT NULL THEN
            RETURN QUERY SELECT 'duplicate'::text,
                format('%s is already scheduled then', mcred.text_list(bad, 3)), c.id,
                NULL::json, NULL::json;
            RETURN;
        END IF;
        IF p_local IS NOT NULL AND NOT p_force
           AND ((new_start AT TIME ZONE c.timezone)::date < c.starts_on
                OR (new_start AT TIME ZONE c.timezone)::date > c.ends_on) THEN
            RETURN QUERY SELECT 'outside'::text,
                format('%s falls outside the cohort''s dates, %s to %s (force to move it anyway)',
                       to_char(new_start AT TIME ZONE c.timezone, 'YYYY-MM-DD HH24:MI'),
                       c.starts_on, c.ends_on), c.id, NULL::json, NULL::json;
            RETURN;
        END IF;
    END IF;

    IF p_action = 'move' THEN
        UPDATE mcred.sessions x
           SET starts_at = new_start,
               duration_minutes = coalesce(p_duration, x.duration_minutes),
               modality = coalesce(p_modality, x.modality), title = coalesce(p_title, x.title),
               held_at = CASE WHEN p_held IS NULL THEN x.held_at
                              WHEN p_held THEN coalesce(x.held_at, now()) END
         WHERE x.org_id = p_org AND x.id = p_session;
    ELSIF p_action = 'held' THEN
        UPDATE mcred.sessions x SET held_at = coalesce(x.held_at, now())
         WHERE x.org_id = p_org AND x.id = p_session;
    ELSIF p_action = 'cancel' THEN
        UPDATE mcred.sessions x SET cancelled_at = now(), cancel_reason = p_reason
         WHERE x.org_id = p_org AND x.id = p_session;
    ELSIF p_action = 'restore' THEN
        UPDATE mcred.sessions x SET cancelled_at = NULL, cancel_reason = NULL
         WHERE x.org_id = p_org AND x.id = p_session;
    ELSIF p_action = 'delete' THEN
        SELECT count(*) INTO n FROM mcred.attendance a
         WHERE a.org_id = p_org AND a.session_id = p_session;
        IF n > 0 THEN
            RETURN QUERY SELECT 'attended'::text,
                format('%s has attendance recorded for %s %s; cancel it instead', label, n,
                       CASE WHEN n = 1 THEN 'person' ELSE 'people' END), c.id,
                NULL::json, NULL::json;
            RETURN;
        END IF;
        DELETE FROM mcred.sessions x WHERE x.org_id = p_org AND x.id = p_session;
        IF s.kind = 'weekly' AND s.week IS NOT NULL THEN
            UPDATE mcred.sessions x
               SET week = x.week - 1,
                   title = CASE WHEN x.title = 'Week ' || x.week THEN 'Week ' || (x.week - 1)
                                ELSE x.title END
             WHERE x.org_id = p_org AND x.cohort_id = s.cohort_id AND x.kind = 'weekly'
               AND x.week > s.week;
        END IF;
    ELSE
        RAISE EXCEPTION 'unknown session action %', p_action;
    END IF;
    SELECT i.item INTO item_after FROM mcred.session_items i
     WHERE i.org_id = p_org AND i.id = p_session;
    RETURN QUERY SELECT NULL::text, NULL::text, c.id, item_before, item_after;
END
$$;

-- What changing a cohort's time zone or dates does to its sessions.
-- p_tz / p_starts / p_ends: the new values (NULL: unchanged); p_mode:
-- 'keep_local_time', 'keep_instant' or NULL (not chosen).  Answers
-- (problem, message) rows: 'timezone' when sessions exist and no mode was
-- chosen, 'outside' when not-cancelled sessions would fall outside the new
-- dates and p_force is false.  None: the change may go ahead.
CREATE FUNCTION mcred.cohort_change_check(p_org uuid, p_cohort uuid, p_tz text, p_starts date,
                                          p_ends date, p_mode text, p_force boolean)
    RETURNS TABLE (problem text, message text)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    c mcred.cohorts;
    tz text;
    n bigint;
    first_s mcred.sessions;
    bad text[];
BEGIN
    SELECT * INTO c FROM mcred.cohorts WHERE org_id = p_org AND id = p_cohort;
    tz := coalesce(p_tz, c.timezone);
    IF tz <> c.timezone AND p_mode IS NULL THEN
        SELECT count(*) INTO n FROM mcred.sessions s
         WHERE s.org_id = p_org AND s.cohort_id = p_cohort;
        IF n > 0 THEN
            SELECT * INTO first_s FROM mcred.sessions s
             WHERE s.org_id = p_org AND s.cohort_id = p_cohort
             ORDER BY s.cancelled_at IS NOT NULL, s.starts_at < now(), s.starts_at LIMIT 1;
            RETURN QUERY SELECT 'timezone'::text,
                format('the %s session%s would stay at the same instants and show at %s '
                       'instead of %s in %s (%s); choose keep_local_time to keep their local '
                       'times or keep_instant to keep the instants',
                       n, CASE WHEN n = 1 THEN '' ELSE 's' END,
                       to_char(first_s.starts_at AT TIME ZONE tz, 'HH24:MI'),
                       to_char(first_s.starts_at AT TIME ZONE c.timezone, 'HH24:MI'), tz,
                       mcred.session_label(first_s.title, first_s.starts_at, c.timezone));
            RETURN;
        END IF;
    END IF;
    IF p_force THEN
        RETURN;
    END IF;
    SELECT array_agg(mcred.session_label(s.title, s.starts_at,
                                         CASE WHEN p_mode = 'keep_instant' THEN tz
                                              ELSE c.timezone END) ORDER BY s.starts_at)
      INTO bad
      FROM mcred.sessions s,
           LATERAL (SELECT (s.starts_at AT TIME ZONE CASE WHEN p_mode = 'keep_instant' THEN tz
                                                          ELSE c.timezone END)::date AS d) l
     WHERE s.org_id = p_org AND s.cohort_id = p_cohort AND s.cancelled_at IS NULL
       AND (l.d < coalesce(p_starts, c.starts_on) OR l.d > coalesce(p_ends, c.ends_on));
    IF bad IS NOT NULL THEN
        RETURN QUERY SELECT 'outside'::text,
            format('%s would fall outside %s to %s; move or cancel %s first, or force the change',
                   mcred.text_list(bad, 3), coalesce(p_starts, c.starts_on),
                   coalesce(p_ends, c.ends_on),
                   CASE WHEN cardinality(bad) = 1 THEN 'it' ELSE 'them' END);
    END IF;
END
$$;
