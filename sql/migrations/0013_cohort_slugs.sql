-- 0013_cohort_slugs: cohorts get a slug, unique in their organisation,
-- so that people can name a cohort by its slug ("spring-2027") or its
-- name ("Spring 2027") wherever an id is accepted.  The server resolves a
-- cohort path parameter with mcred.cohort_named() before it authorises.

ALTER TABLE mcred.cohorts ADD COLUMN slug text;

-- "Spring 2027" → "spring-2027", "Été 2027" → "ete-2027": lower case,
-- common accents dropped (upper case ones too, whatever the database's
-- locale lowers), runs of anything but a-z and 0-9 become one '-', at
-- most 56 characters (room for "-1000"); a name with nothing left, or one
-- that would read as a UUID, gets "cohort".
CREATE FUNCTION mcred.cohort_slug_base(p_name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
SELECT CASE WHEN s = '' OR s ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN 'cohort' ELSE s END
  FROM (SELECT pg_catalog.btrim(pg_catalog.left(pg_catalog.btrim(
            pg_catalog.regexp_replace(pg_catalog.translate(pg_catalog.lower(p_name),
                'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž'
                || 'ÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮŁÑŃŇÒÓÔÕÖØŌŐŔŘŚŠŞŤÙÚÛÜŪŮŰŲÝŸŹŻŽ',
                'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz'
                || 'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz'),
            '[^a-z0-9]+', '-', 'g'), '-'),
            56), '-') AS s) b
$$;

-- The first of base, base-2, base-3 … that no cohort of the organisation
-- (other than p_except) has.
CREATE FUNCTION mcred.cohort_slug_free(p_org uuid, p_base text, p_except uuid) RETURNS text
    LANGUAGE sql STABLE
    AS $$
SELECT c.slug
  FROM (SELECT p_base AS slug, 1 AS n
        UNION ALL
        SELECT p_base || '-' || g, g FROM pg_catalog.generate_series(2, 1000) g) c
 WHERE NOT EXISTS (SELECT 1 FROM mcred.cohorts o
                    WHERE o.org_id = p_org AND o.slug = c.slug
                      AND o.id IS DISTINCT FROM p_except)
 ORDER BY c.n
 LIMIT 1
$$;

-- Existing cohorts get slugs from their names, oldest first.  The owner
-- does this across organisations, so the policy is lifted meanwhile.
ALTER TABLE mcred.cohorts NO FORCE ROW LEVEL SECURITY;
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT org_id, id, name FROM mcred.cohorts ORDER BY created_at, id LOOP
        UPDATE mcred.cohorts
           SET slug = mcred.cohort_slug_free(c.org_id, mcred.cohort_slug_base(c.name), c.id)
         WHERE org_id = c.org_id AND id = c.id;
    END LOOP;
END
$$;
ALTER TABLE mcred.cohorts FORCE ROW LEVEL SECURITY;

-- A cohort inserted without a slug gets one made from its name.
CREATE FUNCTION mcred.cohort_slug_default() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.slug IS NULL THEN
        NEW.slug := mcred.cohort_slug_free(NEW.org_id, mcred.cohort_slug_base(NEW.name), NEW.id);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER cohorts_slug_default BEFORE INSERT ON mcred.cohorts
    FOR EACH ROW EXECUTE FUNCTION mcred.cohort_slug_default();

ALTER TABLE mcred.cohorts
    ALTER COLUMN slug SET NOT NULL,
    ADD CONSTRAINT cohorts_slug_form CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$' AND slug !~
        '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
    ADD CONSTRAINT cohorts_slug_unique UNIQUE (org_id, slug);
CREATE INDEX cohorts_org_name ON mcred.cohorts (org_id, lower(name));

-- The cohorts that `p_text` names for the caller `p_person`: the one
-- whose slug it is, else those whose name it is (any case), each with
-- the caller's role in it ('learner', 'coach' or NULL) — one row, none
-- (unknown) or several (an ambiguous name).  Row-level security limits
-- it to the caller's organisation.
CREATE FUNCTION mcred.cohort_named(p_org uuid, p_text text, p_person uuid)
    RETURNS TABLE (id uuid, slug text, name text, role text)
    LANGUAGE sql STABLE
    AS $$
WITH by_slug AS (
    SELECT c.id, c.slug, c.name FROM mcred.cohorts c
     WHERE c.org_id = p_org AND c.slug = pg_catalog.lower(p_text)
), by_name AS (
    SELECT c.id, c.slug, c.name FROM mcred.cohorts c
     WHERE c.org_id = p_org AND pg_catalog.lower(c.name) = pg_catalog.lower(p_text)
       AND NOT EXISTS (SELECT 1 FROM by_slug)
)
SELECT f.id, f.slug, f.name,
       (SELECT m.role FROM mcred.members m
         WHERE m.org_id = p_org AND m.cohort_id = f.id AND m.person_id = p_person
           AND m.status = 'enrolled')
  FROM (SELECT * FROM by_slug UNION ALL SELECT * FROM by_name) f
 ORDER BY f.slug
 LIMIT 20
$$;

-- The cohort item: its slug, and (from 0010) the status it has now, where
-- that comes from, and its closes_on.  The status is worked out once a row.
-- Same columns as before, in the same order; item keys added.
CREATE OR REPLACE VIEW mcred.cohort_items WITH (security_invoker = true) AS
SELECT c.org_id, c.id, st.status, c.starts_on,
       to_char(c.starts_on, 'YYYYMMDD') || c.id::text AS sort_key,
       json_build_object(
           'id', c.id, 'slug', c.slug, 'name', c.name,
           'credential', json_build_object('id', cr.id, 'slug', cr.slug,
                                           'version', cr.version, 'title', cr.title),
           'starts_on', c.starts_on, 'ends_on', c.ends_on, 'timezone', c.timezone,
           'min_learners', c.min_learners, 'capacity', c.capacity,
           'status', st.status,
           'status_source', mcred.cohort_status_source(c.status, c.status_source, c.closes_on,
                                                       c.timezone),
           'closes_on', c.closes_on,
           'learners', (SELECT count(*) FROM mcred.members m WHERE m.org_id = c.org_id
                        AND m.cohort_id = c.id AND m.role = 'learner' AND m.status = 'enrolled'),
           'waitlisted', (SELECT count(*) FROM mcred.members m WHERE m.org_id = c.org_id
                          AND m.cohort_id = c.id AND m.status = 'waitlisted'),
           'coaches', (SELECT count(*) FROM mcred.members m WHERE m.org_id = c.org_id
                       AND m.cohort_id = c.id AND m.role = 'coach' AND m.status = 'enrolled'),
           'created_at', mcred.rfc3339(c.created_at), 'updated_at', mcred.rfc3339(c.updated_at)
       ) AS item
  FROM mcred.cohorts c
  JOIN mcred.credentials cr ON cr.org_id = c.org_id AND cr.id = c.credential_id
  CROSS JOIN LATERAL (SELECT mcred.cohort_status(c.org_id, c.id, c.status, c.status_source,
                                                 c.starts_on, c.closes_on, c.timezone)
                             AS status) st;
