package io.toggles;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a write to one feature changes for the requests it can reach: which contexts change from
 * what to what, which more specific rows keep the value where the write would have changed it,
 * whether the kill switch hides the change, and how many contexts it reaches. Computed by {@link
 * #of} from the feature's state before and after the write, each resolved by the library's own
 * resolver (as {@link Explanation#of} does), so that a dry run, a guard rail and a console never
 * re-implement precedence. Used by the CLI for {@code --dry-run} and for the confirmation of wide
 * writes.
 *
 * <p><b>The contexts examined</b> are built from the values the rows name. Each dimension the
 * written scope names is fixed to that value; each other dimension takes every value that a row of
 * either state names there, and also "absent", which stands for every value no row names (a context
 * with an absent value is {@linkplain ContextChange#other() other traffic} where rows do name
 * values). A write of one row therefore examines only contexts that row matches; a kill, an unkill
 * or a declaration (no written scope) examines them all, down to the empty context. They are
 * examined dimension by dimension, absent first, then values in {@link String} order, and at most
 * {@code maxContexts} of them ({@link #MAX_CONTEXTS} by default): {@link #truncated()} says whether
 * the examination stopped early.
 *
 * <p><b>Cost:</b> each context examined explains both states, which is linear in the feature's
 * rows, so a call costs up to {@code maxContexts x rows x 2} row comparisons. Bound {@code
 * maxContexts} lower where that matters (a request thread, a feature of many rows). The call reads
 * no store, starts no thread and keeps nothing; it is thread-safe, and an {@code Effect} is
 * immutable.
 *
 * @param feature the feature written
 * @param written the scope of the row written; empty for a kill, an unkill or a declaration
 * @param changed the contexts whose effective value changes, in the order examined
 * @param examined how many contexts were examined
 * @param truncated whether the examination stopped at its bound before every context was seen
 * @param masking rows more specific than the written scope that win, after the write, in contexts
 *     the written row matches, so that those keep their value; most specific first. Empty without a
 *     written scope
 * @param maskedByKill whether the kill switch is on after the write and hides it in a context it
 *     would otherwise decide (the write applies once unkilled); false without a written scope
 * @param reachesAll whether the context with no value at all changes: the write changes the value
 *     of all traffic that no more specific row names
 */
public record Effect(
    String feature,
    Optional<Scope> written,
    List<ContextChange> changed,
    int examined,
    boolean truncated,
    List<Setting> masking,
    boolean maskedByKill,
    boolean reachesAll) {

  /** The most contexts {@link #of(Hierarchy, FeatureState, FeatureState, Optional)} examines. */
  public static final int MAX_CONTEXTS = 20_000;

  private static final Comparator<Setting> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt((Setting s) -> -s.scope().rank())
          .thenComparing(s -> s.scope().toString());

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException if the key is malformed, {@code examined} is negative or
   *     smaller than the number of changed contexts
   */
  public Effect {
    FeatureDefinition.requireValidKey(feature);
    changed = List.copyOf(changed);
    masking = List.copyOf(masking);
    if (examined < changed.size()) {
      throw new IllegalArgumentException(
          "examined " + examined + " contexts but " + changed.size() + " changed");
    }
  }

  /**
   * One context whose effective value changes.
   *
   * @param context the context
   * @param before the effective value before the write, empty if none
   * @param after the effective value after the write, empty if none
   * @param other whether the context stands for values no row names: it has an absent value on a
   *     dimension where rows name values (the CLI prints it as {@code *})
   */
  public record ContextChange(
      Context context, Optional<SettingValue> before, Optional<SettingValue> after, boolean other) {

    /**
     * Checks that the value changes.
     *
     * @throws IllegalArgumentException if {@code before} equals {@code after}
     */
    public ContextChange {
      Objects.requireNonNull(context, "context");
      if (before.equals(after)) {
        throw new IllegalArgumentException("the value of " + context + " does not change");
      }
    }
  }

  /** The changes in contexts made only of values the rows name (none is {@link #other()}). */
  public List<ContextChange> listed() {
    return changed.stream().filter(c -> !c.other()).toList();
  }

  /** How many contexts the write changes: what a guard rail compares with its limit. */
  public int reach() {
    return changed.size();
  }

  /**
   * Compares two states of one feature, examining at most {@link #MAX_CONTEXTS} contexts.
   *
   * @param hierarchy the dimensions of the rows, the contexts and the written scope
   * @param before the feature's state before the write
   * @param after the feature's state after the write (for instance from a dry run)
   * @param written the scope of the row written; empty for a kill, an unkill or a declaration
   * @throws IllegalArgumentException if the states are of two features, a row or the written scope
   *     has another hierarchy, or a state has two rows of one scope
   */
  public static Effect of(
      Hierarchy hierarchy, FeatureState before, FeatureState after, Optional<Scope> written) {
    return of(hierarchy, before, after, written, MAX_CONTEXTS);
  }

  /**
   * As {@link #of(Hierarchy, FeatureState, FeatureState, Optional)}, examining at most {@code
   * maxContexts} contexts.
   *
   * @throws IllegalArgumentException as {@link #of(Hierarchy, FeatureState, FeatureState,
   *     Optional)}, or if {@code maxContexts} is below 1
   */
  public static Effect of(
      Hierarchy hierarchy,
      FeatureState before,
      FeatureState after,
      Optional<Scope> written,
      int maxContexts) {
    if (!before.key().equals(after.key())) {
      throw new IllegalArgumentException(
          "the states are of two features: '" + before.key() + "' and '" + after.key() + "'");
    }
    if (written.isPresent() && !written.get().hierarchy().equals(hierarchy)) {
      throw new IllegalArgumentException(
          "written scope "
              + written.get()
              + " has dimensions "
              + written.get().hierarchy().dimensions()
              + " but the hierarchy is "
              + hierarchy.dimensions());
    }
    if (maxContexts < 1) {
      throw new IllegalArgumentException("maxContexts must be at least 1, got " + maxContexts);
    }
    StateExplainer was = new StateExplainer(hierarchy, before);
    StateExplainer will = new StateExplainer(hierarchy, after);
    List<List<@Nullable String>> axes = axes(hierarchy, before, after, written);
    List<ContextChange> changed = new ArrayList<>();
    Map<Scope, Setting> masking = new LinkedHashMap<>();
    boolean maskedByKill = false;
    boolean reachesAll = false;
    int examined = 0;
    boolean truncated = false;
    int[] at = new int[axes.size()];
    @Nullable String[] values = new String[axes.size()];
    while (true) {
      if (examined == maxContexts) {
        truncated = true;
        break;
      }
      for (int i = 0; i < at.length; i++) {
        values[i] = axes.get(i).get(at[i]);
      }
      Context ctx = Context.of(hierarchy, values);
      examined++;
      Explanation eb = was.explain(ctx, 0);
      Explanation ea = will.explain(ctx, 0);
      if (!eb.value().equals(ea.value())) {
        boolean other = false;
        for (int i = 0; i < values.length; i++) {
          other |= values[i] == null && axes.get(i).size() > 1;
        }
        changed.add(new ContextChange(ctx, eb.value(), ea.value(), other));
        reachesAll |= ctx.asMap().isEmpty();
      } else if (written.isPresent()) {
        Scope w = written.get();
        if (ea.outcome() == Explanation.Outcome.KILLED) {
          maskedByKill = true;
        } else if (ea.winner().isPresent()
            && !ea.winner().get().scope().equals(w)
            && ea.winner().get().scope().rank() > w.rank()) {
          masking.putIfAbsent(ea.winner().get().scope(), ea.winner().get());
        }
      }
      if (!next(at, axes)) {
        break;
      }
    }
    List<Setting> maskingRows = new ArrayList<>(masking.values());
    maskingRows.sort(MOST_SPECIFIC_FIRST);
    return new Effect(
        before.key(), written, changed, examined, truncated, maskingRows, maskedByKill, reachesAll);
  }

  /** Per dimension, the values examined: the written one, else absent (null) and every named. */
  private static List<List<@Nullable String>> axes(
      Hierarchy hierarchy, FeatureState before, FeatureState after, Optional<Scope> written) {
    List<List<@Nullable String>> axes = new ArrayList<>();
    for (int i = 0; i < hierarchy.size(); i++) {
      String dim = hierarchy.dimension(i);
      Optional<String> fixed = written.flatMap(s -> s.value(dim));
      List<@Nullable String> axis = new ArrayList<>();
      if (fixed.isPresent()) {
        axis.add(fixed.get());
      } else {
        TreeSet<String> named = new TreeSet<>();
        for (Setting s : before.rows()) {
          s.scope().value(dim).ifPresent(named::add);
        }
        for (Setting s : after.rows()) {
          s.scope().value(dim).ifPresent(named::add);
        }
        axis.add(null);
        axis.addAll(named);
      }
      axes.add(axis);
    }
    return axes;
  }

  /** Advances the odometer {@code at} over the axes; false once every combination was seen. */
  private static boolean next(int[] at, List<List<@Nullable String>> axes) {
    int i = at.length - 1;
    while (i >= 0 && ++at[i] == axes.get(i).size()) {
      at[i] = 0;
      i--;
    }
    return i >= 0;
  }
}
