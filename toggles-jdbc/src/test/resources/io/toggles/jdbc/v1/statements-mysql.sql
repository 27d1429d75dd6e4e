-- The SQL statements of toggles 0.1.0 (the release before schema version 2), rendered for
-- MYSQL, table prefix toggles_ and the hierarchy product, merchant, country,
-- from toggles-jdbc's Sql.java at commit 12d08fb. Parameters are Jdbi named parameters
-- (:feature, :d0 for product, :d1 merchant, :d2 country). One statement per '-- name:' block.
-- Statements that depend on which dimensions a scope names end in .PMC: 1 = named, 0 = wildcard.

-- name: revision
SELECT revision FROM toggles_state WHERE id = 1;

-- name: lock
SELECT revision, UTC_TIMESTAMP(6) FROM toggles_state WHERE id = 1 FOR UPDATE;

-- name: setRevision
UPDATE toggles_state SET revision = :revision WHERE id = 1;

-- name: schemaVersionRead
SELECT version, min_reader_version FROM toggles_schema_version ORDER BY version DESC;

-- name: probe
SELECT st.revision, f.feature, f.value_type, f.default_value, f.killed, f.version, r.`product`, r.`merchant`, r.`country`, r.value, r.version, c.revision, c.kind, c.`product`, c.`merchant`, c.`country`, c.old_type, c.new_value, c.revert_of, c.changed_at FROM toggles_state st, toggles_features f, toggles_settings r, toggles_changes c WHERE 1 = 0;

-- name: loadOne
SELECT 0, s.revision, f.value_type, f.default_value, f.description, f.owner, f.killed, NULL, NULL, NULL FROM toggles_state s LEFT JOIN toggles_features f ON f.feature = :feature WHERE s.id = 1 UNION ALL SELECT 1, r.version, NULL, r.value, NULL, NULL, NULL, r.`product`, r.`merchant`, r.`country` FROM toggles_settings r WHERE r.feature = :feature;

-- name: loadAllDefinitions
SELECT s.revision, f.feature, f.value_type, f.default_value, f.description, f.owner, f.killed FROM toggles_state s LEFT JOIN toggles_features f ON 1 = 1 WHERE s.id = 1;

-- name: loadAllRows
SELECT r.feature, r.version, r.value, r.`product`, r.`merchant`, r.`country` FROM toggles_settings r;

-- name: definitionForUpdate
SELECT feature, value_type, default_value, description, owner, killed FROM toggles_features WHERE feature = :feature;

-- name: definitions
SELECT feature, value_type, default_value, description, owner, killed FROM toggles_features ORDER BY feature;

-- name: hasRows
SELECT COUNT(*) FROM toggles_settings WHERE feature = :feature;

-- name: featureRows
SELECT r.feature, r.version, r.value, r.`product`, r.`merchant`, r.`country` FROM toggles_settings r WHERE r.feature = :feature;

-- name: insertDefinition
INSERT INTO toggles_features (feature, value_type, default_value, description, owner, killed, version, updated_at, updated_by) VALUES (:feature, :type, :default, :description, :owner, FALSE, 1, :now, :actor);

-- name: updateDefinition
UPDATE toggles_features SET value_type = :type, default_value = :default, description = :description, owner = :owner, version = version + 1, updated_at = :now, updated_by = :actor WHERE feature = :feature;

-- name: setKilled
UPDATE toggles_features SET killed = :killed, version = version + 1, updated_at = :now, updated_by = :actor WHERE feature = :feature;

-- name: insertChange
INSERT INTO toggles_changes (revision, feature, kind, `product`, `merchant`, `country`, old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of, changed_at) VALUES (:revision, :feature, :kind, :d0, :d1, :d2, :old_type, :old_value, :new_type, :new_value, :new_version, :actor, :reason, :revert_of, :now);

-- name: changeAt
SELECT revision, feature, kind, `product`, `merchant`, `country`, old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of, changed_at FROM toggles_changes WHERE revision = :revision;

-- name: changesSince
SELECT revision, feature, kind, `product`, `merchant`, `country`, old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of, changed_at FROM toggles_changes WHERE revision > :revision ORDER BY revision LIMIT :limit;

-- name: changesOfFeatureAfter
SELECT revision, feature, kind, `product`, `merchant`, `country`, old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of, changed_at FROM toggles_changes WHERE feature = :feature AND revision > :revision ORDER BY revision;

-- name: historyAll
SELECT revision, feature, kind, `product`, `merchant`, `country`, old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of, changed_at FROM toggles_changes ORDER BY revision DESC LIMIT :limit;

-- name: historyOfFeature
SELECT revision, feature, kind, `product`, `merchant`, `country`, old_type, old_value, new_type, new_value, new_version, actor, reason, revert_of, changed_at FROM toggles_changes WHERE feature = :feature ORDER BY revision DESC LIMIT :limit;

-- name: stats
SELECT s.revision, (SELECT COUNT(*) FROM toggles_features), (SELECT COUNT(*) FROM toggles_settings), (SELECT COUNT(*) FROM toggles_changes) FROM toggles_state s WHERE s.id = 1;

-- name: insertRow
INSERT INTO toggles_settings (feature, `product`, `merchant`, `country`, value, version, updated_at, updated_by) VALUES (:feature, :d0, :d1, :d2, :value, :version, :now, :actor);

-- name: findRow.000
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` IS NULL AND `country` IS NULL;

-- name: updateRow.000
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` IS NULL AND `merchant` IS NULL AND `country` IS NULL;

-- name: deleteRow.000
DELETE FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` IS NULL AND `country` IS NULL;

-- name: findRow.001
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` IS NULL AND `country` = :d2;

-- name: updateRow.001
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` IS NULL AND `merchant` IS NULL AND `country` = :d2;

-- name: deleteRow.001
DELETE FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` IS NULL AND `country` = :d2;

-- name: findRow.010
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` = :d1 AND `country` IS NULL;

-- name: updateRow.010
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` IS NULL AND `merchant` = :d1 AND `country` IS NULL;

-- name: deleteRow.010
DELETE FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` = :d1 AND `country` IS NULL;

-- name: findRow.011
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` = :d1 AND `country` = :d2;

-- name: updateRow.011
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` IS NULL AND `merchant` = :d1 AND `country` = :d2;

-- name: deleteRow.011
DELETE FROM toggles_settings WHERE feature = :feature AND `product` IS NULL AND `merchant` = :d1 AND `country` = :d2;

-- name: findRow.100
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` IS NULL AND `country` IS NULL;

-- name: updateRow.100
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` = :d0 AND `merchant` IS NULL AND `country` IS NULL;

-- name: deleteRow.100
DELETE FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` IS NULL AND `country` IS NULL;

-- name: findRow.101
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` IS NULL AND `country` = :d2;

-- name: updateRow.101
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` = :d0 AND `merchant` IS NULL AND `country` = :d2;

-- name: deleteRow.101
DELETE FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` IS NULL AND `country` = :d2;

-- name: findRow.110
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` = :d1 AND `country` IS NULL;

-- name: updateRow.110
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` = :d0 AND `merchant` = :d1 AND `country` IS NULL;

-- name: deleteRow.110
DELETE FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` = :d1 AND `country` IS NULL;

-- name: findRow.111
SELECT value, version FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` = :d1 AND `country` = :d2;

-- name: updateRow.111
UPDATE toggles_settings SET value = :value, version = :version, updated_at = :now, updated_by = :actor WHERE feature = :feature AND `product` = :d0 AND `merchant` = :d1 AND `country` = :d2;

-- name: deleteRow.111
DELETE FROM toggles_settings WHERE feature = :feature AND `product` = :d0 AND `merchant` = :d1 AND `country` = :d2;

