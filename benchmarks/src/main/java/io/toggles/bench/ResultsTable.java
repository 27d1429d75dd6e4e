package io.toggles.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Renders JMH JSON results as the Markdown table that README shows: ns/op, B/op ({@code
 * gc.alloc.rate.norm} from {@code -prof gc}) and the ratio to this library's like-for-like case,
 * headed by the date, CPU model, core count and JDK.
 *
 * <p>Benchmarks are named {@code case_variant}; within a class, the reference of a case is its
 * {@code case_toggles} benchmark, and every row of the case is divided by it (above 1.00 means
 * slower than this library).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.toggles.bench.ResultsTable results.json results.md
 * [memory.txt]}; the optional third file (the output of {@link IndexMemory}) is quoted under the
 * table.
 */
public final class ResultsTable {

  private static final Map<String, String> NOTES = new LinkedHashMap<>();

  static {
    NOTES.put(
        "CheckBenchmark.warm10k_toggles",
        "`isEnabled(feature, context)`, 10,000 rows on all 8 levels, 1,024 reused contexts"
            + " winning on every level (2.6 groups probed on average)");
    NOTES.put(
        "CheckBenchmark.warm10k_concurrentHashMap",
        "baseline: `ConcurrentHashMap.get` of a pre-built \"product|merchant|country\" key");
    NOTES.put("CheckBenchmark.warm10k_caffeine", "baseline: Caffeine `getIfPresent`, same keys");
    NOTES.put(
        "CheckBenchmark.raw10k_toggles",
        "`isEnabled(feature, product, merchant, country)`, the 1,024 contexts' values as"
            + " distinct String objects");
    NOTES.put(
        "CheckBenchmark.raw10k_togglesOneRequest",
        "one request's raw strings on every call, winning in the first group (compares"
            + " characters each time)");
    NOTES.put(
        "CheckBenchmark.worst1m_toggles",
        "1,000,000 rows, 65,536 random contexts probing all 8 levels (84% fall to the global row)");
    NOTES.put("CheckBenchmark.worst1m_togglesRaw", "the same from raw strings");
    NOTES.put(
        "CheckBenchmark.warm10k_togglesOneContext",
        "one context reused for every call, winning in the first (most specific) group");
    NOTES.put(
        "CheckBenchmark.warm10k_togglesOneContextHandle",
        "the one-context check through a `Feature` handle");
    NOTES.put(
        "CheckBenchmark.warm10k_togglesHandle",
        "the same check through a `Feature` handle (`toggles.feature(key)`): no lookup by name");
    NOTES.put(
        "PeersBenchmark.flag_togglesHandle",
        "the same through a `Feature` handle: no lookup by name");
    NOTES.put(
        "PeersBenchmark.rule_togglesHandle",
        "the same through a `Feature` handle: no lookup by name");
    NOTES.put(
        "CheckBenchmark.counts10k_toggles",
        "one reused context by name, evaluation counts and usage marks off (the default)");
    NOTES.put(
        "CheckBenchmark.counts10k_togglesCounted",
        "the same with evaluation counts on (`countEvaluations(true)`)");
    NOTES.put(
        "CheckBenchmark.counts10k_togglesUsage",
        "the same with usage marks only (`trackUsage(true)`)");
    NOTES.put("CheckBenchmark.counts10k_togglesHandle", "through a handle, counts off");
    NOTES.put("CheckBenchmark.counts10k_togglesHandleCounted", "through a handle, counts on");
    NOTES.put("CheckBenchmark.counts10k_togglesHandleUsage", "through a handle, usage marks only");
    NOTES.put("CheckBenchmark.explain12_toggles", "`explain` of a 12-row feature");
    NOTES.put(
        "CheckBenchmark.explain10k_toggles",
        "`explain` of the 10,000-row feature (walks every row, lists 50 exclusions)");
    NOTES.put(
        "PeersBenchmark.flag_toggles", "one global row, reused 3-level context (like-for-like)");
    NOTES.put(
        "PeersBenchmark.flag_togglz",
        "Togglz 4.6.1 `isActive`, CachingStateRepository(InMemory, 60 s), no strategy");
    NOTES.put(
        "PeersBenchmark.flag_ff4j",
        "FF4j 2.0.0 `check(feature)`, InMemoryFeatureStore, no context, no strategy");
    NOTES.put(
        "PeersBenchmark.flag_launchdarkly",
        "LaunchDarkly 7.13.0 `boolVariation`, TestData, no rules, events off");
    NOTES.put(
        "PeersBenchmark.flag_openfeature",
        "OpenFeature 1.22.0 `getBooleanValue`, InMemoryProvider, static flag");
    NOTES.put(
        "PeersBenchmark.rule_toggles",
        "500 merchant rows + global off row; 1,024 rotating contexts (like-for-like)");
    NOTES.put(
        "PeersBenchmark.rule_togglz",
        "nearest equivalent: custom strategy, user attribute in a pre-parsed set of 500");
    NOTES.put(
        "PeersBenchmark.rule_togglzUsername",
        "nearest built-in: UsernameActivationStrategy (splits the 500-name list on every call)");
    NOTES.put(
        "PeersBenchmark.rule_ff4j",
        "nearest equivalent: WhiteListStrategy of 500 merchants, merchant as client host name");
    NOTES.put(
        "PeersBenchmark.rule_launchdarkly",
        "one targeting rule: `merchant` is one of 500 values, else fallthrough false");
    NOTES.put(
        "PeersBenchmark.rule_openfeature",
        "nearest equivalent: context evaluator testing `merchant` against a set of 500");
  }

  private ResultsTable() {}

  /** One benchmark's result. */
  private record Row(
      String clazz,
      String method,
      String mode,
      int threads,
      double score,
      double error,
      String unit,
      @Nullable Double bytesPerOp) {

    String caseName() {
      int i = method.indexOf('_');
      return i < 0 ? method : method.substring(0, i);
    }

    String key() {
      return clazz + "." + method;
    }
  }

  /**
   * Reads {@code args[0]} (JMH JSON) and writes the Markdown table to {@code args[1]}.
   *
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ResultsTable <jmh-results.json> <out.md> [memory.txt]");
      System.exit(2);
    }
    JsonNode root = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    List<Row> rows = new ArrayList<>();
    String jdk = "unknown";
    for (JsonNode b : root) {
      String full = b.path("benchmark").asText();
      int dot = full.lastIndexOf('.');
      String clazz = full.substring(full.lastIndexOf('.', dot - 1) + 1, dot);
      JsonNode primary = b.path("primaryMetric");
      JsonNode norm = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
      rows.add(
          new Row(
              clazz,
              full.substring(dot + 1),
              b.path("mode").asText(),
              b.path("threads").asInt(1),
              primary.path("score").asDouble(),
              primary.path("scoreError").asDouble(Double.NaN),
              primary.path("scoreUnit").asText(),
              norm.isMissingNode() ? null : norm.path("score").asDouble()));
      jdk = b.path("vmName").asText() + " " + b.path("jdkVersion").asText();
    }
    String memory =
        args.length > 2 && Files.exists(Path.of(args[2]))
            ? Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).strip()
            : null;
    String md = render(rows, jdk, memory);
    Files.writeString(Path.of(args[1]), md, StandardCharsets.UTF_8);
    System.out.print(md);
  }

  private static String render(List<Row> rows, String jdk, @Nullable String memory) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Benchmark results\n\n");
    sb.append("- Date: ").append(LocalDate.now(ZoneOffset.UTC)).append('\n');
    sb.append("- CPU: ").append(cpuModel()).append('\n');
    sb.append("- Cores: ").append(Runtime.getRuntime().availableProcessors()).append('\n');
    sb.append("- JDK: ").append(jdk).append('\n');
    sb.append(
        "\nns/op is the average time of one call on one thread (lower is better); B/op is the"
            + " memory allocated per call (`-prof gc`); \"vs toggles\" divides by this library's"
            + " like-for-like case (above 1.00 is slower than toggles).\n");

    section(sb, "Checks on a warm cache (issue 2)", rows, "CheckBenchmark");
    section(sb, "Peers, same decision (issue 7)", rows, "PeersBenchmark");
    throughput(sb, rows);
    if (memory != null) {
      sb.append("\n## Memory of the cached index\n\n```\n").append(memory).append("\n```\n");
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, List<Row> all, String clazz) {
    List<Row> rows = all.stream().filter(r -> r.clazz().equals(clazz)).toList();
    if (rows.isEmpty()) {
      return;
    }
    sb.append("\n## ").append(title).append("\n\n");
    sb.append("| Benchmark | ns/op | ± | B/op | vs toggles | Notes |\n");
    sb.append("|---|---:|---:|---:|---:|---|\n");
    Map<String, List<Row>> byCase = new LinkedHashMap<>();
    for (Row r : rows) {
      byCase.computeIfAbsent(r.caseName(), k -> new ArrayList<>()).add(r);
    }
    for (List<Row> group : byCase.values()) {
      Optional<Row> ref = group.stream().filter(r -> r.method().endsWith("_toggles")).findFirst();
      group.sort((a, b) -> a == ref.orElse(null) ? -1 : b == ref.orElse(null) ? 1 : 0);
      for (Row r : group) {
        sb.append("| ")
            .append(r.method())
            .append(" | ")
            .append(num(r.score()))
            .append(" | ")
            .append(Double.isNaN(r.error()) ? "" : num(r.error()))
            .append(" | ")
            .append(bytes(r.bytesPerOp()))
            .append(" | ")
            .append(
                ref.map(x -> String.format(Locale.ROOT, "%.2f", r.score() / x.score())).orElse("—"))
            .append(" | ")
            .append(NOTES.getOrDefault(r.key(), ""))
            .append(" |\n");
      }
    }
  }

  private static void throughput(StringBuilder sb, List<Row> all) {
    List<Row> rows = all.stream().filter(r -> r.clazz().equals("ThroughputBenchmark")).toList();
    if (rows.isEmpty()) {
      return;
    }
    sb.append("\n## Throughput on every core (no contention)\n\n");
    sb.append(
        "Each thread's time per check should stay what it is on one thread (last column, from"
            + " the table above) while total throughput grows with the threads.\n\n");
    sb.append("| Benchmark | threads | ops/µs (all threads) | ns/op per thread | B/op |");
    sb.append(" ns/op on one thread |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      double perUs = r.unit().equals("ops/us") ? r.score() : Double.NaN;
      Optional<Row> single =
          all.stream()
              .filter(x -> x.clazz().equals("CheckBenchmark") && x.method().equals(r.method()))
              .findFirst();
      sb.append("| ")
          .append(r.method())
          .append(" | ")
          .append(r.threads())
          .append(" | ")
          .append(num(perUs))
          .append(" | ")
          .append(num(r.threads() * 1000.0 / perUs))
          .append(" | ")
          .append(bytes(r.bytesPerOp()))
          .append(" | ")
          .append(single.map(x -> num(x.score())).orElse("—"))
          .append(" |\n");
    }
  }

  private static String num(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String bytes(@Nullable Double v) {
    if (v == null) {
      return "—";
    }
    // -prof gc spreads the harness's own few bytes over billions of calls: below 0.5 is zero.
    return v < 0.5 ? "0" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }
}
