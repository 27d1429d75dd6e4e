package io.toggles.bench;

import com.launchdarkly.sdk.LDContext;
import com.launchdarkly.sdk.LDValue;
import com.launchdarkly.sdk.server.Components;
import com.launchdarkly.sdk.server.LDClient;
import com.launchdarkly.sdk.server.LDConfig;
import com.launchdarkly.sdk.server.integrations.TestData;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.providers.memory.Flag;
import dev.openfeature.sdk.providers.memory.InMemoryProvider;
import io.toggles.Context;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.InMemoryStore;
import io.toggles.SettingValue;
import io.toggles.Toggles;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.ff4j.FF4j;
import org.ff4j.core.Feature;
import org.ff4j.core.FlippingExecutionContext;
import org.ff4j.store.InMemoryFeatureStore;
import org.ff4j.strategy.WhiteListStrategy;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.togglz.core.activation.Parameter;
import org.togglz.core.activation.UsernameActivationStrategy;
import org.togglz.core.manager.FeatureManager;
import org.togglz.core.manager.FeatureManagerBuilder;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.cache.CachingStateRepository;
import org.togglz.core.repository.mem.InMemoryStateRepository;
import org.togglz.core.spi.ActivationStrategy;
import org.togglz.core.user.FeatureUser;
import org.togglz.core.user.SimpleFeatureUser;
import org.togglz.core.user.UserProvider;

/**
 * The same boolean decision made by this library and by the peers a user would pick instead (issue
 * 7), all in memory with no network I/O, on pre-built request objects.
 *
 * <p>Two cases, named {@code case_library}:
 *
 * <ul>
 *   <li>{@code flag}: a flag that is on for everyone, checked with a 3-level request context.
 *   <li>{@code rule}: on for 500 of 1,000 merchants, off otherwise, over 1,024 rotating requests
 *       that carry product, merchant and country (half of them granted). This is as much of the
 *       scoped product &gt; merchant &gt; country decision as the peers can express with one rule:
 *       none of them has precedence between overlapping scopes, so the full 10,000-row decision is
 *       measured for this library only ({@link CheckBenchmark#warm10k_toggles}).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Xmn64m"})
public class PeersBenchmark {
  static final String FLAG = "checkout.flag";
  static final String RULE = "checkout.rule";
  static final int N = 1 << 10;
  static final int MASK = N - 1;
  static final int MERCHANTS = 1_000;

  /** The requests of the {@code rule} case as ids, and the merchants the rule grants. */
  static final class Requests {
    final int[] p = new int[N];
    final int[] m = new int[N];
    final int[] c = new int[N];
    final boolean[] granted = new boolean[MERCHANTS];
    final String[] grantedIds;

    Requests() {
      Random rnd = new Random(11);
      int[] shuffled = new int[MERCHANTS];
      for (int i = 0; i < MERCHANTS; i++) {
        shuffled[i] = i;
      }
      for (int i = MERCHANTS - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
      grantedIds = new String[MERCHANTS / 2];
      for (int i = 0; i < MERCHANTS / 2; i++) {
        granted[shuffled[i]] = true;
        grantedIds[i] = Rows.merchant(shuffled[i]);
      }
      for (int i = 0; i < N; i++) {
        p[i] = rnd.nextInt(2_000);
        m[i] = rnd.nextInt(MERCHANTS);
        c[i] = rnd.nextInt(30);
      }
    }

    /** Fails the setup unless {@code check} answers every request as the rule says. */
    void verify(String library, IntPredicate check) {
      for (int i = 0; i < N; i++) {
        if (check.test(i) != granted[m[i]]) {
          throw new IllegalStateException(library + " disagrees with the rule at request " + i);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------ toggles

  /** This library: one global row for {@code flag}; 500 merchant rows and a global off row. */
  @State(Scope.Benchmark)
  public static class TogglesState {
    Toggles toggles;
    Context flagContext;
    io.toggles.Feature flagHandle;
    io.toggles.Feature ruleHandle;
    final Context[] contexts = new Context[N];

    /** Writes the features and checks every request. */
    @Setup(Level.Trial)
    public void setUp() {
      Requests q = new Requests();
      InMemoryStore store = InMemoryStore.create(Rows.HIERARCHY);
      store.define(FeatureDefinition.bool(FLAG), Rows.AUDIT);
      store.set(FLAG, Rows.HIERARCHY.global(), SettingValue.of(true), Expect.any(), Rows.AUDIT);
      store.define(FeatureDefinition.bool(RULE), Rows.AUDIT);
      store.set(RULE, Rows.HIERARCHY.global(), SettingValue.of(false), Expect.any(), Rows.AUDIT);
      for (String merchant : q.grantedIds) {
        store.set(
            RULE,
            Rows.HIERARCHY.scope().with("merchant", merchant).build(),
            SettingValue.of(true),
            Expect.any(),
            Rows.AUDIT);
      }
      toggles = Toggles.builder(store).syncInterval(Duration.ZERO).build();
      flagHandle = toggles.feature(FLAG);
      ruleHandle = toggles.feature(RULE);
      flagContext = Rows.context(1, 2, 3);
      for (int i = 0; i < N; i++) {
        contexts[i] = Rows.context(q.p[i], q.m[i], q.c[i]);
      }
      if (!toggles.isEnabled(FLAG, flagContext)) {
        throw new IllegalStateException("toggles: flag is off");
      }
      q.verify("toggles", i -> toggles.isEnabled(RULE, contexts[i]));
    }

    /** Stops the toggles. */
    @TearDown(Level.Trial)
    public void tearDown() {
      toggles.close();
    }
  }

  /** This library, {@code flag}: {@code isEnabled(feature, context)}. */
  @Benchmark
  public boolean flag_toggles(TogglesState s) {
    return s.toggles.isEnabled(FLAG, s.flagContext);
  }

  /** This library, {@code flag}, through a {@link io.toggles.Feature} handle: no lookup by name. */
  @Benchmark
  public boolean flag_togglesHandle(TogglesState s) {
    return s.flagHandle.isEnabled(s.flagContext);
  }

  /** This library, {@code rule}, through a {@link io.toggles.Feature} handle: no lookup by name. */
  @Benchmark
  public boolean rule_togglesHandle(TogglesState s, Cursor k) {
    return s.ruleHandle.isEnabled(s.contexts[k.next(MASK)]);
  }

  /** This library, {@code rule}: {@code isEnabled(feature, context)}. */
  @Benchmark
  public boolean rule_toggles(TogglesState s, Cursor k) {
    return s.toggles.isEnabled(RULE, s.contexts[k.next(MASK)]);
  }

  // ------------------------------------------------------------------------------------- Togglz

  /** The Togglz features of the two cases. */
  public enum TogglzFeature implements org.togglz.core.Feature {
    /** On for everyone. */
    FLAG,
    /** On for the granted merchants, by {@link MerchantSetStrategy}. */
    RULE,
    /** On for the granted merchants, by Togglz's {@link UsernameActivationStrategy}. */
    RULE_USERNAME
  }

  /**
   * The cheapest way to express the rule in Togglz: a custom strategy reading the merchant from the
   * user's attributes and testing it against the set of the feature's "merchants" parameter, parsed
   * once per parameter value (Togglz's own strategies re-split their parameter per call).
   */
  static final class MerchantSetStrategy implements ActivationStrategy {
    static final String ID = "merchant-in";
    static final String PARAM = "merchants";

    private record Parsed(String raw, Set<String> set) {}

    private volatile Parsed parsed = new Parsed("", Set.of());

    @Override
    public String getId() {
      return ID;
    }

    @Override
    public String getName() {
      return "Merchant in list";
    }

    @Override
    public boolean isActive(FeatureState state, FeatureUser user) {
      String raw = state.getParameter(PARAM);
      Parsed p = parsed;
      if (raw != p.raw()) {
        p = new Parsed(raw, new HashSet<>(Arrays.asList(raw.split(","))));
        parsed = p;
      }
      return user != null && p.set().contains((String) user.getAttribute("merchant"));
    }

    @Override
    public Parameter[] getParameters() {
      return new Parameter[0];
    }
  }

  /** The current user of the request, as a servlet filter would bind it. */
  static final class CurrentUser implements UserProvider {
    @Nullable FeatureUser user;

    @Override
    public @Nullable FeatureUser getCurrentUser() {
      return user;
    }
  }

  /**
   * Togglz 4.6.1: {@code FeatureManager} over {@code
   * CachingStateRepository(InMemoryStateRepository, 60 s)}; the user is the merchant, with the
   * merchant also as an attribute.
   */
  @State(Scope.Benchmark)
  public static class TogglzState {
    FeatureManager manager;
    final CurrentUser users = new CurrentUser();
    final FeatureUser[] requestUsers = new FeatureUser[N];

    /** Builds the manager and checks every request. */
    @Setup(Level.Trial)
    public void setUp() {
      Requests q = new Requests();
      manager =
          FeatureManagerBuilder.begin()
              .featureEnum(TogglzFeature.class)
              .stateRepository(new CachingStateRepository(new InMemoryStateRepository(), 60_000))
              .userProvider(users)
              .activationStrategy(new MerchantSetStrategy())
              .activationStrategy(new UsernameActivationStrategy())
              .build();
      String list = String.join(",", q.grantedIds);
      manager.setFeatureState(new FeatureState(TogglzFeature.FLAG, true));
      manager.setFeatureState(
          new FeatureState(TogglzFeature.RULE, true)
              .setStrategyId(MerchantSetStrategy.ID)
              .setParameter(MerchantSetStrategy.PARAM, list));
      manager.setFeatureState(
          new FeatureState(TogglzFeature.RULE_USERNAME, true)
              .setStrategyId(UsernameActivationStrategy.ID)
              .setParameter(UsernameActivationStrategy.PARAM_USERS, list));
      for (int i = 0; i < N; i++) {
        String merchant = Rows.merchant(q.m[i]);
        requestUsers[i] =
            new SimpleFeatureUser(merchant)
                .setAttribute("product", Rows.product(q.p[i]))
                .setAttribute("merchant", merchant)
                .setAttribute("country", Rows.country(q.c[i]));
      }
      users.user = requestUsers[0];
      if (!manager.isActive(TogglzFeature.FLAG)) {
        throw new IllegalStateException("togglz: flag is off");
      }
      q.verify("togglz", i -> check(TogglzFeature.RULE, i));
      q.verify("togglz username", i -> check(TogglzFeature.RULE_USERNAME, i));
    }

    boolean check(TogglzFeature feature, int i) {
      users.user = requestUsers[i];
      return manager.isActive(feature);
    }
  }

  /** Togglz, {@code flag}: {@code FeatureManager.isActive}, no strategy. */
  @Benchmark
  public boolean flag_togglz(TogglzState s) {
    return s.manager.isActive(TogglzFeature.FLAG);
  }

  /** Togglz, {@code rule}: custom strategy with a pre-parsed merchant set. */
  @Benchmark
  public boolean rule_togglz(TogglzState s, Cursor k) {
    return s.check(TogglzFeature.RULE, k.next(MASK));
  }

  /** Togglz, {@code rule} with the built-in username strategy (splits 500 names per call). */
  @Benchmark
  public boolean rule_togglzUsername(TogglzState s, Cursor k) {
    return s.check(TogglzFeature.RULE_USERNAME, k.next(MASK));
  }

  // --------------------------------------------------------------------------------------- FF4j

  /**
   * FF4j 2.0.0 over {@code InMemoryFeatureStore}, audit off; the rule is a {@code
   * WhiteListStrategy} of merchants, each request a {@code FlippingExecutionContext} whose client
   * host name is the merchant.
   */
  @State(Scope.Benchmark)
  public static class Ff4jState {
    FF4j ff4j;
    final FlippingExecutionContext[] contexts = new FlippingExecutionContext[N];

    /** Creates the features and checks every request. */
    @Setup(Level.Trial)
    public void setUp() {
      Requests q = new Requests();
      ff4j = new FF4j();
      ff4j.setFeatureStore(new InMemoryFeatureStore());
      ff4j.audit(false);
      ff4j.setAutocreate(false);
      ff4j.createFeature(new Feature(FLAG, true));
      Feature rule = new Feature(RULE, true);
      rule.setFlippingStrategy(new WhiteListStrategy(String.join(",", q.grantedIds)));
      ff4j.createFeature(rule);
      for (int i = 0; i < N; i++) {
        FlippingExecutionContext ctx = new FlippingExecutionContext();
        ctx.putString("clientHostName", Rows.merchant(q.m[i]));
        ctx.putString("product", Rows.product(q.p[i]));
        ctx.putString("country", Rows.country(q.c[i]));
        contexts[i] = ctx;
      }
      if (!ff4j.check(FLAG)) {
        throw new IllegalStateException("ff4j: flag is off");
      }
      q.verify("ff4j", i -> ff4j.check(RULE, contexts[i]));
    }
  }

  /** FF4j, {@code flag}: {@code check(feature)} (FF4j checks take no context without a rule). */
  @Benchmark
  public boolean flag_ff4j(Ff4jState s) {
    return s.ff4j.check(FLAG);
  }

  /** FF4j, {@code rule}: {@code check(feature, context)} with a white list strategy. */
  @Benchmark
  public boolean rule_ff4j(Ff4jState s, Cursor k) {
    return s.ff4j.check(RULE, s.contexts[k.next(MASK)]);
  }

  // ------------------------------------------------------------------------------- LaunchDarkly

  /**
   * The LaunchDarkly Java server SDK 7.13.0 on {@code TestData}: no network (test data source,
   * events and diagnostics off, logging off). The rule is one targeting rule "merchant is one of
   * 500 values", else the fallthrough variation false.
   */
  @State(Scope.Benchmark)
  public static class LaunchDarklyState {
    LDClient client;
    LDContext flagContext;
    final LDContext[] contexts = new LDContext[N];

    /** Starts the client on test data and checks every request. */
    @Setup(Level.Trial)
    public void setUp() {
      Requests q = new Requests();
      TestData td = TestData.dataSource();
      td.update(td.flag(FLAG).booleanFlag().variationForAll(true));
      LDValue[] values = new LDValue[q.grantedIds.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = LDValue.of(q.grantedIds[i]);
      }
      td.update(
          td.flag(RULE)
              .booleanFlag()
              .fallthroughVariation(false)
              .ifMatch("merchant", values)
              .thenReturn(true));
      LDConfig config =
          new LDConfig.Builder()
              .dataSource(td)
              .events(Components.noEvents())
              .diagnosticOptOut(true)
              .logging(Components.noLogging())
              .build();
      client = new LDClient("sdk-offline-benchmark", config);
      if (!client.isInitialized()) {
        throw new IllegalStateException("launchdarkly: not initialized from test data");
      }
      flagContext = context(1, 2, 3);
      for (int i = 0; i < N; i++) {
        contexts[i] = context(q.p[i], q.m[i], q.c[i]);
      }
      if (!client.boolVariation(FLAG, flagContext, false)) {
        throw new IllegalStateException("launchdarkly: flag is off");
      }
      q.verify("launchdarkly", i -> client.boolVariation(RULE, contexts[i], false));
    }

    private static LDContext context(int p, int m, int c) {
      return LDContext.builder("request-" + p + "-" + m + "-" + c)
          .set("product", Rows.product(p))
          .set("merchant", Rows.merchant(m))
          .set("country", Rows.country(c))
          .build();
    }

    /** Closes the client. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      client.close();
    }
  }

  /** LaunchDarkly, {@code flag}: {@code boolVariation} of a flag with no rules. */
  @Benchmark
  public boolean flag_launchdarkly(LaunchDarklyState s) {
    return s.client.boolVariation(FLAG, s.flagContext, false);
  }

  /** LaunchDarkly, {@code rule}: {@code boolVariation} of a flag with one targeting rule. */
  @Benchmark
  public boolean rule_launchdarkly(LaunchDarklyState s, Cursor k) {
    return s.client.boolVariation(RULE, s.contexts[k.next(MASK)], false);
  }

  // -------------------------------------------------------------------------------- OpenFeature

  /**
   * The OpenFeature Java SDK 1.22.0 with its {@code InMemoryProvider}: a static flag, and a flag
   * whose context evaluator tests the request's "merchant" attribute against a set.
   */
  @State(Scope.Benchmark)
  public static class OpenFeatureState {
    OpenFeatureAPI api;
    Client client;
    EvaluationContext flagContext;
    final EvaluationContext[] contexts = new EvaluationContext[N];

    /** Installs the provider and checks every request. */
    @Setup(Level.Trial)
    public void setUp() {
      Requests q = new Requests();
      Set<String> granted = Set.of(q.grantedIds);
      Flag<Boolean> flag =
          Flag.<Boolean>builder()
              .variant("on", true)
              .variant("off", false)
              .defaultVariant("on")
              .build();
      Flag<Boolean> rule =
          Flag.<Boolean>builder()
              .variant("on", true)
              .variant("off", false)
              .defaultVariant("off")
              .contextEvaluator(
                  (f, ctx) -> {
                    Value merchant = ctx.getValue("merchant");
                    return merchant != null && granted.contains(merchant.asString());
                  })
              .build();
      api = OpenFeatureAPI.getInstance();
      api.setProviderAndWait(new InMemoryProvider(Map.of(FLAG, flag, RULE, rule)));
      client = api.getClient();
      flagContext = context(1, 2, 3);
      for (int i = 0; i < N; i++) {
        contexts[i] = context(q.p[i], q.m[i], q.c[i]);
      }
      if (!client.getBooleanValue(FLAG, false, flagContext)) {
        throw new IllegalStateException("openfeature: flag is off");
      }
      q.verify("openfeature", i -> client.getBooleanValue(RULE, false, contexts[i]));
    }

    private static EvaluationContext context(int p, int m, int c) {
      return new ImmutableContext(
          "request-" + p + "-" + m + "-" + c,
          Map.of(
              "product", new Value(Rows.product(p)),
              "merchant", new Value(Rows.merchant(m)),
              "country", new Value(Rows.country(c))));
    }

    /** Shuts the API down. */
    @TearDown(Level.Trial)
    public void tearDown() {
      api.shutdown();
    }
  }

  /** OpenFeature, {@code flag}: {@code getBooleanValue} of a static flag. */
  @Benchmark
  public Boolean flag_openfeature(OpenFeatureState s) {
    return s.client.getBooleanValue(FLAG, false, s.flagContext);
  }

  /** OpenFeature, {@code rule}: {@code getBooleanValue} of a flag with a context evaluator. */
  @Benchmark
  public Boolean rule_openfeature(OpenFeatureState s, Cursor k) {
    return s.client.getBooleanValue(RULE, false, s.contexts[k.next(MASK)]);
  }
}
