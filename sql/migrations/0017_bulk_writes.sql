-- 0017_bulk_writes: a roster, an enrolment of many or an import in a
-- constant number of round trips, not one (or four) per row.
--
--   * people.email_key, lower(email) kept by the database, with its own
--     index.  A lookup by lower(email) cannot use an index under row-level
--     security: lower() is not leakproof, so the planner may not run it
--     before the tenant policy, and each lookup read every person of the
--     organisation.  A plain equality on a stored column is leakproof.
--   * mcred.members_lookup resolves many names (ids or e-mails) and their
--     membership of a cohort in one statement; the server decides with
--     them as it did row by row, with the same rules and messages.
--   * mcred.members_write writes the enrolments and coach changes the
--     server decided, with their audit rows and events, set-based.

ALTER TABLE mcred.people
    ADD COLUMN email_key text GENERATED ALWAYS AS (pg_catalog.lower(email)) STORED;
CREATE UNIQUE INDEX people_org_email_key ON mcred.people (org_id, email_key);

-- Each name (a person's id, or an e-mail in any case) of p_names, a JSON
-- array of strings, in order: the person it names in the organisation, if
-- any, and their role and status in the cohort, if they are a member.
-- The keys are worked out before the join (MATERIALIZED), so that the
-- comparison with email_key stays leakproof and uses its index.
CREATE FUNCTION mcred.members_lookup(p_org uuid, p_cohort uuid, p_names jsonb)
    RETURNS TABLE (idx integer, person_id uuid, email text, role text, status text)
    LANGUAGE sql STABLE
    AS $$
WITH names AS MATERIALIZED (
    SELECT (x.n - 1)::integer AS idx, mcred.try_uuid(x.name) AS id,
           CASE WHEN mcred.try_uuid(x.name) IS NULL THEN pg_catalog.lower(x.name) END AS key
      FROM pg_catalog.jsonb_array_elements_text(p_names) WITH ORDINALITY AS x(name, n)
)
SELECT n.idx, coalesce(pi.id, pe.id), coalesce(pi.email, pe.email), m.role, m.status
  FROM names n
  LEFT JOIN mcred.people pi ON pi.org_id = p_org AND pi.id = n.id
  LEFT JOIN mcred.people pe ON pe.org_id = p_org AND pe.email_key = n.key
  LEFT JOIN mcred.members m
    ON m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = coalesce(pi.id, pe.id)
 ORDER BY n.idx
$$;

-- The rows of a members_write request: {"action": "enrol" | "coach",
-- "person", "role", "status", "coach"}, numbered from 0 in their order.
CREATE FUNCTION mcred.members_input(p_rows jsonb)
    RETURNS TABLE (idx integer, action text, person uuid, role text, status text, coach uuid)
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT (r.n - 1)::integer, r.action, r.person, r.role, r.status, r.coach
  FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows)
                  AS (action text, person uuid, role text, status text, coach uuid))
       WITH ORDINALITY AS r(action, person, role, status, coach, n)
$$;

-- Write what the server decided for a cohort whose lock (COHORT_CHANGE) it
-- holds, in the order of p_rows (mcred.members_input):
--   "enrol": a new member, or a withdrawn or completed one again, with the
--            status decided (enrolled or waitlisted) — audit member.enrol,
--            event member.enrolled or member.waitlisted;
--   "coach": an active learner's coach set — audit member.coach, no event;
--   "promote": a waitlisted learner enrolled — audit member.promote, event
--            member.enrolled.
-- Audit rows and events have the shapes that journal_write() gives a
-- single change, in the order of the rows.  Returns each row's person and
-- status after the write; a row that found its member active already (or
-- not waitlisted, for a promotion) comes back with status null, and the server refuses the request (its
-- transaction, with whatever this wrote, is rolled back).
--
-- enrolled_at orders the waitlist: rows written in one statement get
-- distinct, increasing times in their order (clock_timestamp() may repeat
-- within a microsecond).  The planner's guesses on rows from jsonb chose
-- nested loops that cost seconds for a few thousand rows: hash joins are
-- forced for this function alone.  That makes any nested loop left look
-- dear enough to JIT-compile the statement, which took seconds for a
-- row; JIT is off for it too.
CREATE FUNCTION mcred.members_write(p_org uuid, p_cohort uuid, p_rows jsonb, p_actor_id uuid,
                                    p_actor text, p_request text)
    RETURNS TABLE (idx integer, person_id uuid, status text)
    LANGUAGE plpgsql
    SET enable_nestloop = off
    SET jit = off
    AS $$
#variable_conflict use_column
DECLARE
    v_at timestamptz := pg_catalog.clock_timestamp();
BEGIN
    RETURN QUERY
    WITH input AS MATERIALIZED (
        SELECT * FROM mcred.members_input(p_rows)
    ), enrolled AS (
        INSERT INTO mcred.members AS m (org_id, cohort_id, person_id, role, status, coach_id,
                                        enrolled_at)
        SELECT p_org, p_cohort, i.person, i.role, i.status, i.coach,
               v_at + i.idx * interval '1 microsecond'
          FROM input i
         WHERE i.action = 'enrol'
         ORDER BY i.idx
        ON CONFLICT ON CONSTRAINT members_pkey DO UPDATE
        SET role = EXCLUDED.role, status = EXCLUDED.status, coach_id = EXCLUDED.coach_id,
            enrolled_at = EXCLUDED.enrolled_at, updated_at = now()
        WHERE m.status IN ('withdrawn', 'completed')
        RETURNING m.person_id, m.role, m.status, m.coach_id, 'enrol'::text AS action
    ), updated AS (
        UPDATE mcred.members m
           SET coach_id = CASE WHEN i.action = 'coach' THEN i.coach ELSE m.coach_id END,
               status = CASE WHEN i.action = 'promote' THEN 'enrolled' ELSE m.status END,
               updated_at = now()
          FROM input i
         WHERE i.action IN ('coach', 'promote') AND m.org_id = p_org AND m.cohort_id = p_cohort
           AND m.person_id = i.person
           AND (i.action = 'coach' OR m.status = 'waitlisted')
        RETURNING m.person_id, m.role, m.status, m.coach_id, i.action
    ), written AS (
        SELECT i.idx, w.*, jsonb_build_object('cohort', p_cohort, 'person', w.person_id,
                                              'email', p.email, 'role', w.role,
                                              'status', w.status, 'coach', w.coach_id) AS data
          FROM input i
          JOIN (SELECT * FROM enrolled UNION ALL SELECT * FROM updated) w
            ON w.person_id = i.person AND w.action = i.action
          JOIN mcred.people p ON p.org_id = p_org AND p.id = w.person_id
    ), audited AS (
        INSERT INTO mcred.audit (org_id, actor_id, actor, action, entity, entity_id, after,
                                 request_id)
        SELECT p_org, p_actor_id, p_actor, 'member.' || w.action, 'member',
               p_cohort::text || '/' || w.person_id::text, w.data, p_request
          FROM written w ORDER BY w.idx
    ), events AS (
        INSERT INTO mcred.events (org_id, type, payload)
        SELECT p_org, 'member.' || w.status, w.data
          FROM written w WHERE w.action IN ('enrol', 'promote') ORDER BY w.idx
    )
    SELECT i.idx, i.person, w.status
      FROM input i LEFT JOIN written w ON w.idx = i.idx
     ORDER BY i.idx;
END
$$;

-- An attendance sheet's people, as in 0014, found as members_lookup finds
-- them: an OR of id and lower(email) in the join read every person of the
-- organisation for each record of the sheet.
CREATE OR REPLACE FUNCTION mcred.attendance_people(p_org uuid, p_cohort uuid, p_coach uuid,
                                                   p_who text[])
    RETURNS TABLE (idx integer, person_id uuid, email text, name text, role text, status text,
                   mine boolean, coach_name text, coach_email text)
    LANGUAGE sql STABLE
    AS $$
WITH names AS MATERIALIZED (
    SELECT w.idx::integer AS idx, mcred.try_uuid(w.who) AS id,
           CASE WHEN mcred.try_uuid(w.who) IS NULL THEN pg_catalog.lower(w.who) END AS key
      FROM pg_catalog.unnest(p_who) WITH ORDINALITY AS w(who, idx)
), found AS (
    SELECT n.idx, coalesce(pi.id, pe.id) AS id, coalesce(pi.email, pe.email) AS email,
           coalesce(pi.name, pe.name) AS name
      FROM names n
      LEFT JOIN mcred.people pi ON pi.org_id = p_org AND pi.id = n.id
      LEFT JOIN mcred.people pe ON pe.org_id = p_org AND pe.email_key = n.key
)
SELECT f.idx, f.id, f.email, f.name, m.role, m.status,
       p_coach IS NULL OR f.id IN (SELECT mcred.coached_by(p_org, p_cohort, p_coach)),
       cp.name, cp.email
  FROM found f
  LEFT JOIN mcred.members m
    ON m.org_id = p_org AND m.cohort_id = p_cohort AND m.person_id = f.id
  LEFT JOIN mcred.people cp ON cp.org_id = p_org AND cp.id = m.coach_id
 ORDER BY f.idx
$$;
