package io.toggles.examples.readme;

import io.toggles.Context;
import io.toggles.Feature;
import io.toggles.Toggles;
import io.toggles.jdbc.JdbcStore;
import io.toggles.servlet.RequestContext;
import io.toggles.servlet.TogglesAdminServlet;
import io.toggles.servlet.TogglesFilter;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The code shown in README.md, compiled by the build. Each region between {@code tag::NAME[]} and
 * {@code end::NAME[]} appears verbatim in the README; {@code ReadmeSnippetsTest} checks it.
 */
public final class ReadmeExamples {
  private ReadmeExamples() {}

  static void lookups(Toggles toggles, String product, String merchant, String country) {
    // tag::lookups[]
    Context ctx = toggles.context("p-42", "m-7", "FR"); // product, merchant, country

    // Lenient: never throws. Kill switch, then the winning row, then the declared default,
    // then the caller's default. Use these on hot paths.
    boolean newFlow = toggles.isEnabled("new-checkout", ctx);
    String gateway = toggles.getString("payment-gateway", ctx, "adyen");
    boolean raw = toggles.isEnabled("new-checkout", product, merchant, country); // no Context

    // A handle skips the lookup by name: keep it in a field.
    Feature newCheckout = toggles.feature("new-checkout");
    boolean viaHandle = newCheckout.isEnabled(ctx);

    // Strict: throws SettingNotFoundException when no row matches and no default is declared,
    // WrongTypeException for the wrong type.
    String strict = toggles.requireString("payment-gateway", ctx);
    // end::lookups[]
    use(newFlow, gateway, raw, viaHandle, strict);
  }

  static Toggles embedding(String secret) {
    // tag::embedding[]
    JdbcStore store =
        JdbcStore.builder("jdbc:postgresql://db.internal/app")
            .user("app")
            .password(secret) // or JdbcStore.builder(dataSource) with your own pool
            .build(); // runs no DDL unless asked
    store.createSchema(); // explicit and idempotent (or `toggles init`)

    Toggles toggles =
        Toggles.builder(store)
            .syncInterval(Duration.ofSeconds(1)) // one cheap revision read per interval
            .snapshotFile(Path.of("/var/lib/app/toggles.json")) // last known good, for restarts
            .build(); // waits at most the start wait (3 s), never throws because of the database
    // end::embedding[]
    return toggles;
  }

  static void servlet(ServletContextHandler context, Toggles toggles, JdbcStore store) {
    // tag::servlet[]
    // Bind each request's scope: headers X-Toggles-Product / -Merchant / -Country, then query
    // parameters named after the dimensions (or your own ContextExtractor: principal, path, ...).
    FilterHolder filter = new FilterHolder(TogglesFilter.of(toggles.hierarchy()));
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));

    // Anywhere in the request's code, no context passed around:
    boolean newFlow = toggles.isEnabled("new-checkout", RequestContext.current());
    // end::servlet[]
    use(newFlow);
  }

  static void admin(ServletContextHandler context, Toggles toggles, JdbcStore store) {
    // tag::admin[]
    TogglesAdminServlet admin =
        TogglesAdminServlet.builder(toggles, store)
            .allowWrites(true)
            .authorizer((request, action) -> request.isUserInRole("toggles-admin"))
            .serverName("toggles.example.com") // browsers write from here only
            .build();
    context.addServlet(new ServletHolder(admin), "/admin/toggles/*");
    // end::admin[]
  }

  private static void use(Object... values) {
    // The snippets' results are not used here; they only have to compile.
  }
}
