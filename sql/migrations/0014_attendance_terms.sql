-- 0014_attendance_terms: attendance only for sessions that happened, all
-- of a request's records checked at once, written with their audit rows
-- in one statement, and a learner's own attendance.
--
-- The session columns are shared with the session cancel/held work; both
-- add them with IF NOT EXISTS, whichever migration runs first.
ALTER TABLE mcred.sessions ADD COLUMN IF NOT EXISTS cancelled_at timestamptz;
ALTER TABLE mcred.sessions ADD COLUMN IF NOT EXISTS cancel_reason text;
ALTER TABLE mcred.sessions ADD COLUMN IF NOT EXISTS held_at timestamptz;

-- How a session is named to people: its title, or "Week N", or "the
-- coaching session".
CREATE FUNCTION mcred.session_name(p_title text, p_kind text, p_week integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT coalesce(nullif(p_title, ''),
                CASE WHEN p_kind = 'weekly' AND p_week IS NOT NULL THEN 'Week ' || p_week
                     WHEN p_kind = 'weekly' THEN 'the weekly session'
                     ELSE 'the coaching session' END)
$$;


-- The people a request names (by id or e-mail, in the request's order),
-- with what deciding whether they may be recorded needs: their
-- membership of the cohort, whether the coach p_coach acts on them
-- (true when p_coach is NULL) and, for the refusal, who their coach is.
-- A name that matches nobody gives a row with person_id NULL.
CREATE FUNCTION mcred.attendance_people(p_org uuid, p_cohort uuid, p_coach uuid, p_who text[])
    RETURNS TABLE (idx integer, person_id uuid, email text, name text, role text, status text,
                   mine boolean, coach_name text, coach_email text)
    LANGUAGE sql STABLE
    AS $$
SELECT w.idx::integer, p.id, p.email, p.name, m.role, m.status,
       p_coach IS NULL OR p.id IN (SELECT mcred.coached_by(p_org, p_cohort, p_coach)),
       cp.name, cp.email
  FROM unnest(p_who) WITH ORDINALITY AS w(who, idx)
  LEFT JOIN mcred.people p
    ON p.org_id = p_org
   AND (p.id = CASE WHEN w.who ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                    THEN w.who::uuid END
        OR lower(p.email) = lower(w.who))
  LEFT JOIN mcred.members m
    ON m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = p.id
  LEFT JOIN mcred.people cp ON cp.org_id = p_org AND cp.id = m.coach_id
 ORDER BY w.idx
$$;

-- Record (or re-record) a session's attendance: p_records is
-- [{"person": id, "email", "mode"}], already checked.  Each record's
-- audit row keeps the mode it replaced (before) and the new one (after).
-- Returns the records written, in p_records' order.  `before` reads the
-- statement's snapshot (the modes being replaced); the caller holds the
-- cohort's lock, and the upsert locks the rows it changes.
CREATE FUNCTION mcred.attendance_put(p_org uuid, p_session uuid, p_actor uuid, p_actor_label text,
                                     p_request text, p_records jsonb) RETURNS jsonb
    LANGUAGE sql VOLATILE
    AS $$
WITH input AS (
    SELECT (r ->> 'person')::uuid AS person_id, r ->> 'email' AS email, r ->> 'mode' AS mode, ord
      FROM jsonb_array_elements(p_records) WITH ORDINALITY AS t(r, ord)
), before AS (
    SELECT a.person_id, a.mode FROM mcred.attendance a JOIN input i ON i.person_id = a.person_id
     WHERE a.org_id = p_org AND a.session_id = p_session
), up AS (
    INSERT INTO mcred.attendance AS a (org_id, session_id, person_id, mode, recorded_by)
    SELECT p_org, p_session, i.person_id, i.mode, p_actor FROM input i
        ON CONFLICT (org_id, session_id, person_id) DO UPDATE
       SET mode = EXCLUDED.mode, recorded_by = EXCLUDED.recorded_by, recorded_at = now()
    RETURNING a.person_id
), audit AS (
    INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, before, after,
                             request_id)
    SELECT p_org, p_actor, p_actor_label, 'attendance.record', 'attendance',
           p_session || '/' || i.person_id,
           CASE WHEN b.person_id IS NOT NULL THEN
               jsonb_build_object('session', p_session, 'person', i.person_id, 'email', i.email,
                                  'mode', b.mode) END,
           jsonb_build_object('session', p_session, 'person', i.person_id, 'email', i.email,
                              'mode', i.mode),
           p_request
      FROM input i JOIN up u ON u.person_id = i.person_id
      LEFT JOIN before b ON b.person_id = i.person_id
    RETURNING 1
)
SELECT coalesce(jsonb_agg(jsonb_build_object('session', p_session, 'person', i.person_id,
                                             'email', i.email, 'mode', i.mode) ORDER BY i.ord),
                '[]'::jsonb)
  FROM input i
$$;

-- A learner's attendance in a cohort: every weekly session and every
-- coaching session open to them (theirs, or the cohort's), with its
-- state and their mode, and the weekly sessions attended (not counting
-- cancelled ones) against the credential's minimum.
CREATE FUNCTION mcred.member_attendance(p_org uuid, p_cohort uuid, p_person uuid) RETURNS json
    LANGUAGE sql STABLE
    AS $$
WITH s AS (
    SELECT s.*, c.timezone, mcred.session_status(s.starts_at, s.held_at, s.cancelled_at) AS state,
           a.mode
      FROM mcred.sessions s
      JOIN mcred.cohorts c ON c.org_id = s.org_id AND c.id = s.cohort_id
      LEFT JOIN mcred.attendance a
        ON a.org_id = s.org_id AND a.session_id = s.id AND a.person_id = p_person
     WHERE s.org_id = p_org AND s.cohort_id = p_cohort
       AND (s.kind = 'weekly' OR s.learner_id IS NULL OR s.learner_id = p_person)
)
SELECT json_build_object(
    'learner', (SELECT json_build_object('id', p.id, 'email', p.email, 'name', p.name)
                  FROM mcred.people p WHERE p.org_id = p_org AND p.id = p_person),
    'cohort', (SELECT json_build_object('id', c.id, 'name', c.name, 'timezone', c.timezone)
                 FROM mcred.cohorts c WHERE c.org_id = p_org AND c.id = p_cohort),
    'sessions', coalesce((SELECT json_agg(json_build_object(
            'id', s.id, 'kind', s.kind, 'week', s.week,
            'title', mcred.session_name(s.title, s.kind, s.week),
            'starts_at', mcred.rfc3339(s.starts_at),
            'local_start', to_char(s.starts_at AT TIME ZONE s.timezone, 'YYYY-MM-DD"T"HH24:MI'),
            'state', s.state, 'mode', s.mode) ORDER BY s.starts_at, s.id) FROM s), '[]'::json),
    'attended', (SELECT count(*) FROM s WHERE s.kind = 'weekly' AND s.state <> 'cancelled'
                    AND s.mode IN ('in_person', 'online', 'asynchronous')),
    'excused', (SELECT count(*) FROM s WHERE s.kind = 'weekly' AND s.state <> 'cancelled'
                   AND s.mode = 'excused'),
    'required', (SELECT coalesce((cr.award_rule ->> 'min_weekly_attendance')::integer, 5)
                   FROM mcred.cohorts c
                   JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
                  WHERE c.org_id = p_org AND c.id = p_cohort),
    'weekly_sessions', (SELECT count(*) FROM s WHERE s.kind = 'weekly' AND s.state <> 'cancelled'))
$$;
