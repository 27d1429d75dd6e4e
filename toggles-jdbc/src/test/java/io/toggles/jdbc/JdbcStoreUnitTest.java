package io.toggles.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toggles.ConflictException;
import io.toggles.Hierarchy;
import io.toggles.StoreException;
import java.sql.SQLException;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

/** What the store checks and renders without a database. */
class JdbcStoreUnitTest {

  @Test
  void tablePrefixMustBeAStrictIdentifier() {
    for (String bad :
        List.of("", "Toggles_", "1abc", "a-b", "x; DROP TABLE y", "t\"", "abcdefghijklmnopqrstu")) {
      assertThatThrownBy(() -> JdbcStore.builder(new JdbcDataSource()).tablePrefix(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("table prefix");
      assertThatThrownBy(() -> JdbcStore.ddl(Dialect.H2, Hierarchy.DEFAULT, bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(JdbcStore.builder(new JdbcDataSource()).tablePrefix("app1_toggles_").build())
        .isNotNull();
  }

  @Test
  void credentialsBelongToTheCallersDataSource() {
    assertThatThrownBy(() -> JdbcStore.builder(new JdbcDataSource()).user("sa").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set them on your DataSource");
    assertThatThrownBy(() -> JdbcStore.builder("postgres://nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JDBC URL");
  }

  @Test
  void buildingFromAUrlDoesNotConnect() {
    // Nothing listens on port 1: build() must neither block nor fail.
    try (JdbcStore store =
        JdbcStore.builder("jdbc:postgresql://127.0.0.1:1/x").password("pw").build()) {
      assertThat(store.hierarchy()).isEqualTo(Hierarchy.DEFAULT);
    }
  }

  @Test
  void ddlIsRenderedForTheHierarchyAndPrefixOnEveryDatabase() {
    Hierarchy h = Hierarchy.of("region", "user");
    for (Dialect d : Dialect.values()) {
      String ddl = JdbcStore.ddl(d, h, "app_");
      assertThat(ddl)
          .as(d.name())
          .doesNotContain("${")
          .doesNotContain("{dim}")
          .contains("app_settings", "app_changes", "app_state", "app_schema_version")
          .contains(d.quote("region"), d.quote("user"))
          .contains("schema version 2")
          .contains("toggles:if-column-missing " + "app_state store_id")
          .contains("ADDITIVE ONLY")
          .doesNotContain("toggles_");
      List<String> statements = Ddl.statements(ddl);
      assertThat(statements).allSatisfy(st -> assertThat(st).doesNotContain(";").isNotBlank());
      assertThat(statements).hasSizeGreaterThanOrEqualTo(11);
      assertThat(Ddl.parse(ddl))
          .filteredOn(st -> st.ifMissing().isPresent())
          .extracting(st -> st.ifMissing().get())
          .containsExactly(
              List.of("app_state", "store_id"),
              List.of("app_changes", "change_set"),
              List.of("app_changes", "change_id"));
      // Each rendering gives a store created from it a new identity; applied again, it keeps one.
      assertThat(ddl)
          .containsPattern("store_id = '[0-9a-f-]{36}' WHERE id = 1 AND store_id IS NULL");
      assertThat(JdbcStore.ddl(d, h, "app_")).isNotEqualTo(ddl);
    }
  }

  @Test
  void theLocatorKeepsNoCredentialsAndNoDriverSettings() {
    assertThat(
            Locator.withoutCredentials(
                "jdbc:postgresql://db:5432/app?user=bob&password=pw&currentSchema=ops&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/app?currentSchema=ops");
    assertThat(Locator.withoutCredentials("jdbc:mariadb://root:secret@host:3306/x?password=pw"))
        .isEqualTo("jdbc:mariadb://host:3306/x");
    assertThat(Locator.withoutCredentials("jdbc:h2:mem:t1;DB_CLOSE_DELAY=-1;PASSWORD=pw"))
        .isEqualTo("jdbc:h2:mem:t1");
    assertThat(Locator.of(null, new JdbcDataSource(), "app_"))
        .isEqualTo("datasource:org.h2.jdbcx.JdbcDataSource#app_");
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:x;USER=sa");
    assertThat(Locator.of(null, h2, "app_")).isEqualTo("jdbc:h2:mem:x#app_");
  }

  @Test
  void productNamesMapToDialects() {
    assertThat(Dialect.fromProductName("H2")).isEqualTo(Dialect.H2);
    assertThat(Dialect.fromProductName("PostgreSQL")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Dialect.fromProductName("MySQL")).isEqualTo(Dialect.MYSQL);
    assertThat(Dialect.fromProductName("MariaDB")).isEqualTo(Dialect.MYSQL);
    assertThatThrownBy(() -> Dialect.fromProductName("Oracle"))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("unsupported database 'Oracle'")
        .hasMessageContaining(".dialect(");
  }

  @Test
  void errorsAreTranslatedIntoActionableExceptionsWithoutPasswords() {
    Errors errors = new Errors("hunter2");
    assertThat(
            errors.redact(
                "cannot reach jdbc:postgresql://h/db?user=a&password=topsecret&ssl=true as"
                    + " jdbc:mysql://bob:pa55@h/db, pw hunter2"))
        .doesNotContain("topsecret", "pa55", "hunter2")
        .contains("password=****", "bob:****@h", "pw ****");

    assertThat(errors.translate("setting 'f'", wrap(new SQLException("dup", "23505"))))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("nothing was written");
    assertThat(errors.translate("setting 'f'", wrap(new SQLException("dup", "23000", 1062))))
        .isInstanceOf(ConflictException.class);
    assertThat(errors.translate("loading 'f'", wrap(new SQLException("no route", "08001"))))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("database unreachable while loading 'f'");
    assertThat(errors.translate("loading 'f'", wrap(new SQLException("no table", "42P01"))))
        .hasMessageContaining("schema missing")
        .hasMessageContaining("createSchema()");
    assertThat(
            errors.translate(
                "loading 'f'", wrap(new SQLException("auth failed for hunter2", "XX000"))))
        .isInstanceOf(StoreException.class)
        .hasMessageNotContaining("hunter2")
        .hasMessageContaining("SQLState XX000");
    IllegalArgumentException bad = new IllegalArgumentException("bad key");
    assertThat(errors.translate("x", bad)).isSameAs(bad);
  }

  private static UnableToExecuteStatementException wrap(SQLException e) {
    return new UnableToExecuteStatementException(e, null);
  }
}
