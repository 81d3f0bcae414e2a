-- 0027_server_role: the server's database role owns nothing.
--
-- Migrations run as an owner role (MCRED_MIGRATE_DATABASE_URL); the
-- server connects as another (DATABASE_URL).  An owner may ALTER, DROP or
-- TRUNCATE its tables and turn their row-level security off, so a server
-- that owned them would be one SQL injection or stolen connection away
-- from every district's records.  After every migration run the owner
-- calls mcred.grant_server_role with the server's role: what the server
-- needs, and nothing more.  Run again after each run, it also covers the
-- tables and sequences that later migrations add.

-- Only the owner (and superusers) may hand out these privileges.
CREATE FUNCTION mcred.grant_server_role(p_role name) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA mcred TO %I', p_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA mcred TO %I',
                   p_role);
    -- the server reads its schema's version; only migrations write it
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON mcred.schema_migrations FROM %I', p_role);
    -- the audit trail is append-only (its trigger says so to the owner as well)
    EXECUTE format('REVOKE UPDATE, DELETE ON mcred.audit FROM %I', p_role);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA mcred TO %I', p_role);
END $$;
REVOKE EXECUTE ON FUNCTION mcred.grant_server_role(name) FROM PUBLIC;

-- ANALYZE is for owners; a large people import refreshes the planner's
-- statistics at once (people_import.c) through this one fixed statement.
CREATE FUNCTION mcred.analyze_people() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ BEGIN ANALYZE mcred.people; END $$;
