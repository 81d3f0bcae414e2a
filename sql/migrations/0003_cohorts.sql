-- 0003_cohorts: credential frameworks, cohorts, their members, sessions
-- and attendance.  Every table is a tenant table with row-level security,
-- keyed by (org_id, …) like the others.

CREATE TABLE mcred.credentials (
    org_id           uuid NOT NULL REFERENCES mcred.orgs (id),
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    slug             text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    version          integer NOT NULL CHECK (version BETWEEN 1 AND 1000),
    title            text NOT NULL,
    description      text NOT NULL DEFAULT '',
    achievement_type text NOT NULL,
    status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'retired')),
    rubric           jsonb NOT NULL,  -- [{"level": 1, "label": "…"}, …] in level order
    award_rule       jsonb NOT NULL,  -- {"min_level", "min_weekly_attendance", "weekly_sessions", "problem_of_practice_required"}
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    published_at     timestamptz,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, slug, version)
);

CREATE TABLE mcred.standards (
    org_id        uuid NOT NULL,
    credential_id uuid NOT NULL,
    code          text NOT NULL,
    position      integer NOT NULL,
    title         text NOT NULL,
    description   text NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, credential_id, code),
    UNIQUE (org_id, credential_id, position),
    FOREIGN KEY (org_id, credential_id) REFERENCES mcred.credentials (org_id, id) ON DELETE CASCADE
);

CREATE TABLE mcred.indicators (
    org_id        uuid NOT NULL,
    credential_id uuid NOT NULL,
    code          text NOT NULL,
    standard_code text NOT NULL,
    position      integer NOT NULL, -- within its standard
    text          text NOT NULL,
    PRIMARY KEY (org_id, credential_id, code),
    FOREIGN KEY (org_id, credential_id, standard_code)
        REFERENCES mcred.standards (org_id, credential_id, code) ON DELETE CASCADE
);

CREATE TABLE mcred.cohorts (
    org_id        uuid NOT NULL REFERENCES mcred.orgs (id),
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    credential_id uuid NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    starts_on     date NOT NULL,
    ends_on       date NOT NULL,
    timezone      text NOT NULL,
    min_learners  integer NOT NULL DEFAULT 12,
    capacity      integer NOT NULL DEFAULT 18,
    status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'active', 'closed')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, credential_id) REFERENCES mcred.credentials (org_id, id),
    CHECK (ends_on >= starts_on),
    CHECK (1 <= min_learners AND min_learners <= capacity AND capacity <= 500)
);
CREATE INDEX cohorts_org_start ON mcred.cohorts (org_id, starts_on DESC, id);

-- One row per person per cohort; withdrawing keeps the row.  enrolled_at
-- orders the waitlist.
CREATE TABLE mcred.members (
    org_id      uuid NOT NULL,
    cohort_id   uuid NOT NULL,
    person_id   uuid NOT NULL,
    role        text NOT NULL CHECK (role IN ('learner', 'coach')),
    status      text NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'withdrawn', 'completed')),
    coach_id    uuid,
    enrolled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, cohort_id, person_id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES mcred.cohorts (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES mcred.people (org_id, id),
    FOREIGN KEY (org_id, cohort_id, coach_id) REFERENCES mcred.members (org_id, cohort_id, person_id),
    CHECK (coach_id IS NULL OR role = 'learner')
);
CREATE INDEX members_person ON mcred.members (org_id, person_id);

CREATE TABLE mcred.sessions (
    org_id           uuid NOT NULL,
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    cohort_id        uuid NOT NULL,
    week             integer CHECK (week BETWEEN 1 AND 1000),
    kind             text NOT NULL CHECK (kind IN ('weekly', 'coaching')),
    starts_at        timestamptz NOT NULL,
    duration_minutes integer NOT NULL DEFAULT 90 CHECK (duration_minutes BETWEEN 5 AND 600),
    modality         text NOT NULL DEFAULT 'hyflex' CHECK (modality IN ('hyflex', 'in_person', 'online')),
    title            text NOT NULL DEFAULT '',
    learner_id       uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES mcred.cohorts (org_id, id),
    FOREIGN KEY (org_id, learner_id) REFERENCES mcred.people (org_id, id),
    CHECK (learner_id IS NULL OR kind = 'coaching')
);
CREATE INDEX sessions_cohort ON mcred.sessions (org_id, cohort_id, starts_at);

CREATE TABLE mcred.attendance (
    org_id      uuid NOT NULL,
    session_id  uuid NOT NULL,
    person_id   uuid NOT NULL,
    mode        text NOT NULL CHECK (mode IN ('in_person', 'online', 'asynchronous', 'absent', 'excused')),
    recorded_by uuid NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, session_id, person_id),
    FOREIGN KEY (org_id, session_id) REFERENCES mcred.sessions (org_id, id),
    FOREIGN KEY (org_id, person_id) REFERENCES mcred.people (org_id, id)
);

ALTER TABLE mcred.credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.credentials
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.standards ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.standards FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.standards
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.indicators ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.indicators FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.indicators
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.cohorts ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.cohorts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.cohorts
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.members ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.members
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.sessions
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.attendance FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.attendance
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());

-- How the API shows cohorts, members and sessions: one JSON item per row,
-- written once here for every route that lists or shows them.  The views
-- run with the caller's rights (security_invoker), so row-level security
-- applies as on the tables.
CREATE VIEW mcred.cohort_items WITH (security_invoker = true) AS
SELECT c.org_id, c.id, c.status, c.starts_on,
       to_char(c.starts_on, 'YYYYMMDD') || c.id::text AS sort_key,
       json_build_object(
           'id', c.id, 'name', c.name,
           'credential', json_build_object('id', cr.id, 'slug', cr.slug,
                                           'version', cr.version, 'title', cr.title),
           'starts_on', c.starts_on, 'ends_on', c.ends_on, 'timezone', c.timezone,
           'min_learners', c.min_learners, 'capacity', c.capacity, 'status', c.status,
           'learners', (SELECT count(*) FROM mcred.members m WHERE m.org_id = c.org_id
                        AND m.cohort_id = c.id AND m.role = 'learner' AND m.status = 'enrolled'),
           'waitlisted', (SELECT count(*) FROM mcred.members m WHERE m.org_id = c.org_id
                          AND m.cohort_id = c.id AND m.status = 'waitlisted'),
           'coaches', (SELECT count(*) FROM mcred.members m WHERE m.org_id = c.org_id
                       AND m.cohort_id = c.id AND m.role = 'coach' AND m.status = 'enrolled'),
           'created_at', mcred.rfc3339(c.created_at), 'updated_at', mcred.rfc3339(c.updated_at)
       ) AS item
  FROM mcred.cohorts c
  JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id;

CREATE VIEW mcred.member_items WITH (security_invoker = true) AS
SELECT m.org_id, m.cohort_id, m.person_id, m.role, m.status, p.email,
       (CASE m.role WHEN 'learner' THEN '0' ELSE '1' END
        || CASE m.status WHEN 'enrolled' THEN '0' WHEN 'waitlisted' THEN '1' ELSE '2' END
        || to_char(m.enrolled_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')
        || m.person_id::text) COLLATE "C" AS sort_key,
       json_build_object(
           'person', json_build_object('id', p.id, 'email', p.email, 'name', p.name),
           'role', m.role, 'status', m.status,
           'coach', (SELECT json_build_object('id', cp.id, 'email', cp.email, 'name', cp.name)
                       FROM mcred.people cp WHERE cp.org_id = m.org_id AND cp.id = m.coach_id),
           'waitlist_position',
           CASE WHEN m.status = 'waitlisted' THEN
               (SELECT count(*) FROM mcred.members w WHERE w.org_id = m.org_id
                 AND w.cohort_id = m.cohort_id AND w.status = 'waitlisted'
                 AND (w.enrolled_at, w.person_id) <= (m.enrolled_at, m.person_id)) END,
           'enrolled_at', mcred.rfc3339(m.enrolled_at), 'updated_at', mcred.rfc3339(m.updated_at)
       ) AS item
  FROM mcred.members m
  JOIN mcred.people p ON p.org_id = m.org_id AND p.id = m.person_id;

CREATE VIEW mcred.session_items WITH (security_invoker = true) AS
SELECT s.org_id, s.id, s.cohort_id, s.kind, s.learner_id, s.starts_at,
       to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || s.id::text AS sort_key,
       json_build_object(
           'id', s.id, 'cohort', s.cohort_id, 'week', s.week, 'kind', s.kind,
           'starts_at', mcred.rfc3339(s.starts_at),
           'local_start', to_char(s.starts_at AT TIME ZONE c.timezone, 'YYYY-MM-DD"T"HH24:MI'),
           'timezone', c.timezone, 'duration_minutes', s.duration_minutes,
           'modality', s.modality, 'title', s.title, 'learner', s.learner_id
       ) AS item
  FROM mcred.sessions s
  JOIN mcred.cohorts c ON c.org_id = s.org_id AND c.id = s.cohort_id;

CREATE VIEW mcred.attendance_items WITH (security_invoker = true) AS
SELECT a.org_id, a.session_id, a.person_id, p.email,
       lower(p.email) COLLATE "C" AS sort_key,
       json_build_object(
           'person', json_build_object('id', p.id, 'email', p.email, 'name', p.name),
           'mode', a.mode,
           'recorded_by', (SELECT json_build_object('id', r.id, 'email', r.email, 'name', r.name)
                             FROM mcred.people r WHERE r.org_id = a.org_id AND r.id = a.recorded_by),
           'recorded_at', mcred.rfc3339(a.recorded_at)
       ) AS item
  FROM mcred.attendance a
  JOIN mcred.people p ON p.org_id = a.org_id AND p.id = a.person_id;
