-- toggles schema version ${version} for PostgreSQL 12 or later
-- table prefix: ${prefix}   hierarchy (most significant first): ${hierarchy}
--
-- Apply with JdbcStore.createSchema() or `toggles init`, or run these statements yourself.
-- Every statement is idempotent: running the file again changes nothing.
-- Schema changes are ADDITIVE ONLY: a later version may add tables, indexes and nullable or
-- defaulted columns, never drop, rename or retype one, so that an older library keeps working on a
-- newer schema. A later version that older libraries cannot use records a higher
-- min_reader_version in ${prefix}schema_version, and older libraries then refuse to start.
-- Timestamps come from the database clock.

CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
  version            INTEGER NOT NULL PRIMARY KEY,
  min_reader_version INTEGER NOT NULL,
  applied_at         TIMESTAMPTZ NOT NULL
);

-- Exactly one row (id 1) holding the revision of the latest change. Every write locks this row
-- first, so writes are serialized and revisions are gap-free and in commit order.
CREATE TABLE IF NOT EXISTS ${prefix}state (
  id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  revision BIGINT NOT NULL
);

-- The feature registry and the kill switches.
CREATE TABLE IF NOT EXISTS ${prefix}features (
  feature       VARCHAR(100) NOT NULL PRIMARY KEY,
  value_type    VARCHAR(16) NOT NULL,
  default_value TEXT,
  description   VARCHAR(1000) NOT NULL,
  owner         VARCHAR(1000) NOT NULL,
  killed        BOOLEAN NOT NULL,
  version       BIGINT NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL,
  updated_by    VARCHAR(200) NOT NULL
);

-- One row per feature and scope; a NULL dimension is a wildcard.
CREATE TABLE IF NOT EXISTS ${prefix}settings (
  feature    VARCHAR(100) NOT NULL,
  ${dims|{dim} VARCHAR(128),|\n  }
  value      TEXT NOT NULL,
  version    BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  updated_by VARCHAR(200) NOT NULL
);

-- The database itself refuses two rows of one feature with the same scope, wildcards included:
-- NULLs are distinct in a plain UNIQUE index (NULLS NOT DISTINCT needs PostgreSQL 15), so the index
-- maps a wildcard to '', which no scope value can be (values are 1 to 128 characters).
CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}settings_scope_uq
  ON ${prefix}settings (feature, ${dims|COALESCE({dim}, '')|, });

-- The change log, one row per change, written in the same transaction as the change. The revision
-- is the change feed that every node follows.
CREATE TABLE IF NOT EXISTS ${prefix}changes (
  revision    BIGINT NOT NULL PRIMARY KEY,
  feature     VARCHAR(100) NOT NULL,
  kind        VARCHAR(16) NOT NULL,
  ${dims|{dim} VARCHAR(128),|\n  }
  old_type    VARCHAR(16),
  old_value   TEXT,
  new_type    VARCHAR(16),
  new_value   TEXT,
  new_version BIGINT,
  actor       VARCHAR(200) NOT NULL,
  reason      VARCHAR(1000) NOT NULL,
  revert_of   BIGINT,
  changed_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX IF NOT EXISTS ${prefix}changes_feature_ix ON ${prefix}changes (feature, revision);

INSERT INTO ${prefix}state (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

INSERT INTO ${prefix}schema_version (version, min_reader_version, applied_at)
  VALUES (${version}, 1, clock_timestamp()) ON CONFLICT (version) DO NOTHING;
