-- 0004_assessment: problems of practice (every version kept), evidence,
-- scores (append-only, with the current level of each indicator kept
-- beside them for status), and the eligibility last seen per learner.

CREATE TABLE mcred.problems (
    org_id        uuid NOT NULL,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    cohort_id     uuid NOT NULL,
    learner_id    uuid NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    statement     text NOT NULL DEFAULT '',
    student_focus text NOT NULL DEFAULT '',
    data_sources  text NOT NULL DEFAULT '',
    root_cause    text NOT NULL DEFAULT '',
    strategy      text NOT NULL DEFAULT '',
    standards     text[] NOT NULL DEFAULT '{}',
    status        text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'needs_revision')),
    feedback      text NOT NULL DEFAULT '',
    reviewed_by   uuid,
    reviewed_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, cohort_id, learner_id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES mcred.cohorts (org_id, id),
    FOREIGN KEY (org_id, learner_id) REFERENCES mcred.people (org_id, id)
);

CREATE TABLE mcred.problem_versions (
    org_id     uuid NOT NULL,
    problem_id uuid NOT NULL,
    version    integer NOT NULL,
    status     text NOT NULL,
    feedback   text NOT NULL DEFAULT '',
    content    jsonb NOT NULL,
    actor_id   uuid,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, problem_id, version),
    FOREIGN KEY (org_id, problem_id) REFERENCES mcred.problems (org_id, id)
);

CREATE TABLE mcred.evidence (
    org_id       uuid NOT NULL,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    cohort_id    uuid NOT NULL,
    learner_id   uuid NOT NULL,
    indicator    text,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    url          text,
    body         text,
    submitted_by uuid NOT NULL,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES mcred.cohorts (org_id, id),
    FOREIGN KEY (org_id, learner_id) REFERENCES mcred.people (org_id, id),
    CHECK (url IS NOT NULL OR body IS NOT NULL)
);
CREATE INDEX evidence_cohort ON mcred.evidence (org_id, cohort_id, submitted_at DESC, id);

-- Append-only: a new score supersedes, history stays.  `seq` orders
-- scores given in the same instant.
CREATE TABLE mcred.scores (
    org_id      uuid NOT NULL,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    cohort_id   uuid NOT NULL,
    learner_id  uuid NOT NULL,
    indicator   text NOT NULL,
    level       integer NOT NULL CHECK (level BETWEEN 1 AND 10),
    feedback    text NOT NULL DEFAULT '',
    evidence_id uuid,
    coach_id    uuid NOT NULL,
    scored_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, cohort_id) REFERENCES mcred.cohorts (org_id, id),
    FOREIGN KEY (org_id, learner_id) REFERENCES mcred.people (org_id, id),
    FOREIGN KEY (org_id, evidence_id) REFERENCES mcred.evidence (org_id, id)
);
CREATE INDEX scores_history ON mcred.scores (org_id, cohort_id, learner_id, indicator, seq DESC);
CREATE TRIGGER scores_append_only BEFORE UPDATE OR DELETE ON mcred.scores
    FOR EACH STATEMENT EXECUTE FUNCTION mcred.audit_append_only();

-- The newest score of each learner's indicator, kept with every insert,
-- so that status reads one row per indicator, never the history.
CREATE TABLE mcred.score_current (
    org_id     uuid NOT NULL,
    cohort_id  uuid NOT NULL,
    learner_id uuid NOT NULL,
    indicator  text NOT NULL,
    score_id   uuid NOT NULL,
    level      integer NOT NULL,
    PRIMARY KEY (org_id, cohort_id, learner_id, indicator),
    FOREIGN KEY (org_id, score_id) REFERENCES mcred.scores (org_id, id)
);

-- Whether the learner was eligible when last computed, so that
-- credential.eligible is emitted once per move to eligible.
ALTER TABLE mcred.members ADD COLUMN eligible boolean NOT NULL DEFAULT false;

CREATE INDEX attendance_session ON mcred.attendance (org_id, session_id);

ALTER TABLE mcred.problems ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.problems FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.problems
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.problem_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.problem_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.problem_versions
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.evidence
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.scores ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.scores FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.scores
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());
ALTER TABLE mcred.score_current ENABLE ROW LEVEL SECURITY;
ALTER TABLE mcred.score_current FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON mcred.score_current
    USING (org_id = mcred.current_org()) WITH CHECK (org_id = mcred.current_org());

CREATE VIEW mcred.problem_items WITH (security_invoker = true) AS
SELECT pr.org_id, pr.id, pr.cohort_id, pr.learner_id, pr.status, pr.version,
       lower(p.email) COLLATE "C" AS sort_key,
       json_build_object(
           'id', pr.id, 'cohort', pr.cohort_id,
           'learner', json_build_object('id', p.id, 'email', p.email, 'name', p.name),
           'version', pr.version, 'title', pr.title, 'statement', pr.statement,
           'student_focus', pr.student_focus, 'data_sources', pr.data_sources,
           'root_cause', pr.root_cause, 'strategy', pr.strategy, 'standards', pr.standards,
           'status', pr.status, 'feedback', pr.feedback,
           'reviewed_by', (SELECT json_build_object('id', r.id, 'email', r.email, 'name', r.name)
                             FROM mcred.people r WHERE r.org_id = pr.org_id AND r.id = pr.reviewed_by),
           'reviewed_at', mcred.rfc3339(pr.reviewed_at),
           'created_at', mcred.rfc3339(pr.created_at), 'updated_at', mcred.rfc3339(pr.updated_at)
       ) AS item
  FROM mcred.problems pr
  JOIN mcred.people p ON p.org_id = pr.org_id AND p.id = pr.learner_id;

CREATE VIEW mcred.evidence_items WITH (security_invoker = true) AS
SELECT e.org_id, e.id, e.cohort_id, e.learner_id, e.indicator,
       (to_char(e.submitted_at AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS') || e.id::text) COLLATE "C" AS sort_key,
       json_build_object(
           'id', e.id, 'cohort', e.cohort_id,
           'learner', json_build_object('id', p.id, 'email', p.email, 'name', p.name),
           'indicator', e.indicator, 'title', e.title, 'url', e.url, 'text', e.body,
           'submitted_by', e.submitted_by, 'submitted_at', mcred.rfc3339(e.submitted_at)
       ) AS item
  FROM mcred.evidence e
  JOIN mcred.people p ON p.org_id = e.org_id AND p.id = e.learner_id;

CREATE VIEW mcred.score_items WITH (security_invoker = true) AS
SELECT s.org_id, s.id, s.seq, s.cohort_id, s.learner_id, s.indicator,
       json_build_object(
           'id', s.id,
           'learner', json_build_object('id', p.id, 'email', p.email, 'name', p.name),
           'indicator', s.indicator, 'level', s.level,
           'label', (SELECT r->>'label' FROM mcred.cohorts c
                       JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id,
                       jsonb_array_elements(cr.rubric) r
                      WHERE c.org_id = s.org_id AND c.id = s.cohort_id
                        AND (r->>'level')::integer = s.level),
           'feedback', s.feedback, 'evidence', s.evidence_id,
           'coach', json_build_object('id', co.id, 'email', co.email, 'name', co.name),
           'scored_at', mcred.rfc3339(s.scored_at)
       ) AS item
  FROM mcred.scores s
  JOIN mcred.people p ON p.org_id = s.org_id AND p.id = s.learner_id
  JOIN mcred.people co ON co.org_id = s.org_id AND co.id = s.coach_id;
