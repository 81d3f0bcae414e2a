#!/bin/sh
# Run once by the postgres image's entrypoint, on an empty volume only.
# POSTGRES_USER is a superuser, and superusers bypass row-level security,
# so the server gets its own ordinary role, which owns nothing, and the
# `mcred` database belongs to another ordinary role that migrations run as.
#
# No `set -eu`: the entrypoint sources (rather than runs) this file if it
# ever loses its executable bit, and the options would leak into it. The
# entrypoint runs under `set -e` itself, and psql's status is ours.
psql -v ON_ERROR_STOP=1 -X -q --username "$POSTGRES_USER" --dbname postgres \
  -v pw="${MCRED_DB_PASSWORD:?MCRED_DB_PASSWORD is not set}" \
  -v owner_pw="${MCRED_DB_OWNER_PASSWORD:?MCRED_DB_OWNER_PASSWORD is not set}" <<'SQL'
CREATE ROLE mcred_owner LOGIN PASSWORD :'owner_pw'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE mcred LOGIN PASSWORD :'pw'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE DATABASE mcred OWNER mcred_owner;
SQL
