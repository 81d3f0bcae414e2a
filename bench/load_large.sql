-- bench/load_large.sql — make the benchmark's database large: :orgs
-- organisations with :cohorts cohorts between them (each of 18 learners
-- and 2 coaches, on its organisation's credential of 4 standards × 3
-- indicators) and :scores scores across them, beside the cohort that
-- bench/run measures.  bench/run then reads that cohort's status again:
-- the read must not slow down with the size of the database.
--
--   psql -v orgs=50 -v cohorts=5000 -v scores=2000000 -f bench/load_large.sql
--
-- As the cluster's superuser (row-level security does not apply).  The
-- small tables are written by INSERT … SELECT; the scores and current
-- levels, by COPY from the views defined at the end (bench/run pipes
-- COPY (SELECT * FROM bench.large_scores) TO STDOUT into COPY … FROM
-- STDIN), then everything is analysed.  Ids are md5-derived, so a second
-- run would collide: the loader is for a fresh benchmark database.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS bench;

CREATE TABLE bench.large_size AS
SELECT :orgs::integer AS orgs, :cohorts::integer AS cohorts,
       greatest(1, :scores::bigint / :cohorts::integer)::integer AS per_cohort;

CREATE FUNCTION bench.uid(p text) RETURNS uuid
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT md5('mcred-bench:' || p)::uuid $$;

INSERT INTO mcred.orgs (id, slug, name)
SELECT bench.uid('o' || o), 'large-' || o, 'Large District ' || o
  FROM bench.large_size, generate_series(1, orgs) o;

INSERT INTO mcred.credentials (org_id, id, slug, version, title, achievement_type, status,
                               rubric, award_rule, published_at)
SELECT bench.uid('o' || o), bench.uid('cr' || o), 'equity-excellence', 1, 'Equity and Excellence',
       'MicroCredential', 'published',
       '[{"level": 1, "label": "Not Evident"}, {"level": 2, "label": "Emerging"},
         {"level": 3, "label": "Proficient"}, {"level": 4, "label": "Exemplary"}]',
       '{"min_level": 3, "min_weekly_attendance": 5, "weekly_sessions": 6}', now()
  FROM bench.large_size, generate_series(1, orgs) o;

INSERT INTO mcred.standards (org_id, credential_id, code, position, title)
SELECT bench.uid('o' || o), bench.uid('cr' || o), s::text, s, 'Standard ' || s
  FROM bench.large_size, generate_series(1, orgs) o, generate_series(1, 4) s;

INSERT INTO mcred.indicators (org_id, credential_id, code, standard_code, position, text)
SELECT bench.uid('o' || o), bench.uid('cr' || o), s || '.' || i, s::text, i,
       'Indicator ' || s || '.' || i
  FROM bench.large_size, generate_series(1, orgs) o, generate_series(1, 4) s,
       generate_series(1, 3) i;

-- cohort c belongs to organisation (c - 1) % orgs + 1
CREATE VIEW bench.large_cohorts AS
SELECT c, bench.uid('o' || ((c - 1) % orgs + 1)) AS org_id, bench.uid('c' || c) AS id,
       bench.uid('cr' || ((c - 1) % orgs + 1)) AS credential_id
  FROM bench.large_size, generate_series(1, cohorts) c;

INSERT INTO mcred.cohorts (org_id, id, credential_id, name, slug, starts_on, ends_on, timezone,
                           status, status_source)
SELECT org_id, id, credential_id, 'Cohort ' || c, 'cohort-' || c,
       DATE '2026-09-08', DATE '2026-10-13', 'America/New_York', 'active', 'hand'
  FROM bench.large_cohorts;

-- people k = 1, 2 are the coaches, 3..20 the learners
INSERT INTO mcred.people (org_id, id, email, name, attributes)
SELECT lc.org_id, bench.uid('p' || lc.c || '.' || k), 'p' || lc.c || '.' || k || '@large.example',
       'Person ' || lc.c || '.' || k, jsonb_build_object('school', 'School ' || (lc.c % 40))
  FROM bench.large_cohorts lc, generate_series(1, 20) k;

INSERT INTO mcred.members (org_id, cohort_id, person_id, role, status, coach_id)
SELECT lc.org_id, lc.id, bench.uid('p' || lc.c || '.' || k), 'coach', 'enrolled', NULL
  FROM bench.large_cohorts lc, generate_series(1, 2) k;
INSERT INTO mcred.members (org_id, cohort_id, person_id, role, status, coach_id)
SELECT lc.org_id, lc.id, bench.uid('p' || lc.c || '.' || k), 'learner', 'enrolled',
       bench.uid('p' || lc.c || '.' || (k % 2 + 1))
  FROM bench.large_cohorts lc, generate_series(3, 20) k;

-- score r of a cohort: pair r % 216 (learner pair % 18 + 3, indicator
-- pair / 18), its (r / 216 + 1)-th score; the last score of a pair is its
-- current one
CREATE VIEW bench.large_scores AS
SELECT lc.org_id, bench.uid('s' || lc.c || '.' || r) AS id, lc.id AS cohort_id,
       bench.uid('p' || lc.c || '.' || (r % 216 % 18 + 3)) AS learner_id,
       ((r % 216) / 18 / 3 + 1) || '.' || ((r % 216) / 18 % 3 + 1) AS indicator,
       (r % 4 + 1) AS level, 'bench' AS feedback,
       bench.uid('p' || lc.c || '.' || ((r % 216 % 18 + 3) % 2 + 1)) AS coach_id
  FROM bench.large_size sz, bench.large_cohorts lc, generate_series(0, sz.per_cohort - 1) r;

CREATE VIEW bench.large_score_current AS
SELECT lc.org_id, lc.id AS cohort_id,
       bench.uid('p' || lc.c || '.' || (r % 216 % 18 + 3)) AS learner_id,
       ((r % 216) / 18 / 3 + 1) || '.' || ((r % 216) / 18 % 3 + 1) AS indicator,
       bench.uid('s' || lc.c || '.' || r) AS score_id, (r % 4 + 1) AS level
  FROM bench.large_size sz, bench.large_cohorts lc,
       generate_series(greatest(0, sz.per_cohort - 216), sz.per_cohort - 1) r;
