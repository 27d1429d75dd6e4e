-- toggles schema version ${version} for MySQL 8 and MariaDB 10.5 or later (InnoDB, utf8mb4)
-- table prefix: ${prefix}   hierarchy (most significant first): ${hierarchy}
--
-- Apply with JdbcStore.createSchema() or `toggles init`, or run these statements yourself.
-- Every statement is idempotent: running the file again changes nothing.
-- Schema changes are ADDITIVE ONLY: a later version may add tables, indexes and nullable or
-- defaulted columns, never drop, rename or retype one, so that an older library keeps working on a
-- newer schema. A later version that older libraries cannot use records a higher
-- min_reader_version in ${prefix}schema_version, and older libraries then refuse to start.
-- Timestamps come from the database clock and are stored in UTC (DATETIME(6), UTC_TIMESTAMP).
-- Tables use the binary collation: keys and scope values are case-sensitive, as on the other
-- databases.

CREATE TABLE IF NOT EXISTS ${prefix}schema_version (
  version            INTEGER NOT NULL PRIMARY KEY,
  min_reader_version INTEGER NOT NULL,
  applied_at         DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Exactly one row (id 1) holding the revision of the latest change. Every write locks this row
-- first, so writes are serialized and revisions are gap-free and in commit order.
CREATE TABLE IF NOT EXISTS ${prefix}state (
  id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  revision BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The feature registry and the kill switches.
CREATE TABLE IF NOT EXISTS ${prefix}features (
  feature       VARCHAR(100) NOT NULL PRIMARY KEY,
  value_type    VARCHAR(16) NOT NULL,
  default_value MEDIUMTEXT,
  description   VARCHAR(1000) NOT NULL,
  owner         VARCHAR(1000) NOT NULL,
  killed        BOOLEAN NOT NULL,
  version       BIGINT NOT NULL,
  updated_at    DATETIME(6) NOT NULL,
  updated_by    VARCHAR(200) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per feature and scope; a NULL dimension is a wildcard. NULLs are distinct in a UNIQUE
-- index and MariaDB has no expression indexes, so scope_key, a stored generated column, encodes
-- the whole scope (each dimension as length:value, a wildcard as '-', so that no two scopes encode
-- alike) and hashes it to a fixed width that fits an index for any hierarchy. The database itself
-- then refuses two rows of one feature with the same scope, wildcards included. Never write
-- scope_key: the database computes it.
CREATE TABLE IF NOT EXISTS ${prefix}settings (
  feature    VARCHAR(100) NOT NULL,
  ${dims|{dim} VARCHAR(128),|\n  }
  value      MEDIUMTEXT NOT NULL,
  version    BIGINT NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  updated_by VARCHAR(200) NOT NULL,
  scope_key  CHAR(64) CHARACTER SET ascii COLLATE ascii_bin GENERATED ALWAYS AS (SHA2(CONCAT_WS(',', ${dims|COALESCE(CONCAT(CHAR_LENGTH({dim}), ':', {dim}), '-')|, }), 256)) STORED,
  CONSTRAINT ${prefix}settings_scope_uq UNIQUE (feature, scope_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The change log, one row per change, written in the same transaction as the change. The revision
-- is the change feed that every node follows.
CREATE TABLE IF NOT EXISTS ${prefix}changes (
  revision    BIGINT NOT NULL PRIMARY KEY,
  feature     VARCHAR(100) NOT NULL,
  kind        VARCHAR(16) NOT NULL,
  ${dims|{dim} VARCHAR(128),|\n  }
  old_type    VARCHAR(16),
  old_value   MEDIUMTEXT,
  new_type    VARCHAR(16),
  new_value   MEDIUMTEXT,
  new_version BIGINT,
  actor       VARCHAR(200) NOT NULL,
  reason      VARCHAR(1000) NOT NULL,
  revert_of   BIGINT,
  changed_at  DATETIME(6) NOT NULL,
  INDEX ${prefix}changes_feature_ix (feature, revision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT IGNORE INTO ${prefix}state (id, revision) VALUES (1, 0);

INSERT IGNORE INTO ${prefix}schema_version (version, min_reader_version, applied_at)
  VALUES (${version}, 1, UTC_TIMESTAMP(6));
