package io.toggles.cli;

import io.toggles.Context;
import io.toggles.Explanation;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a write to one feature changes for the requests it can reach. The contexts examined are the
 * combinations of the scope values present in the feature's rows (before and after) plus the
 * written scope, each dimension also "absent" (standing for any other value); a write to one row
 * only examines the contexts that row matches. Both states are resolved by the core resolver.
 *
 * @param changed the contexts whose effective value changes
 * @param examined how many contexts were examined
 * @param truncated whether the examination stopped at {@link #MAX_CONTEXTS}
 * @param masking rows more specific than the written scope that keep their contexts' value
 * @param maskedByKill whether the kill switch hides the change (it applies on unkill)
 * @param reachesAll whether the context with no value at all changes: all unlisted traffic
 */
record Effect(
    List<ContextChange> changed,
    int examined,
    boolean truncated,
    List<Setting> masking,
    boolean maskedByKill,
    boolean reachesAll) {

  /** The most contexts examined for one write. */
  static final int MAX_CONTEXTS = 20_000;

  /**
   * One context whose value changes.
   *
   * @param context the context
   * @param before the effective value before, empty if none
   * @param after the effective value after, empty if none
   * @param other whether the context stands for values no row names (an absent value on a dimension
   *     that rows do name)
   */
  record ContextChange(
      Context context,
      Optional<SettingValue> before,
      Optional<SettingValue> after,
      boolean other) {}

  /** The changes in contexts made only of values the rows name. */
  List<ContextChange> listed() {
    return changed.stream().filter(c -> !c.other()).toList();
  }

  /** How many scopes the effect reaches, for the guard rail. */
  int reach() {
    return changed.size();
  }

  /**
   * Compares two states of one feature.
   *
   * @param written the scope of the row written, empty for kill, unkill and define
   */
  static Effect of(
      Hierarchy hierarchy, FeatureState before, FeatureState after, Optional<Scope> written) {
    List<List<String>> axes = new ArrayList<>();
    for (int i = 0; i < hierarchy.size(); i++) {
      String dim = hierarchy.dimension(i);
      Optional<String> fixed = written.flatMap(s -> s.value(dim));
      List<String> axis = new ArrayList<>();
      if (fixed.isPresent()) {
        axis.add(fixed.get());
      } else {
        TreeSet<String> values = new TreeSet<>();
        for (Setting s : before.rows()) {
          s.scope().value(dim).ifPresent(values::add);
        }
        for (Setting s : after.rows()) {
          s.scope().value(dim).ifPresent(values::add);
        }
        axis.add(null);
        axis.addAll(values);
      }
      axes.add(axis);
    }
    List<ContextChange> changed = new ArrayList<>();
    Map<Scope, Setting> masking = new LinkedHashMap<>();
    boolean maskedByKill = false;
    boolean reachesAll = false;
    int examined = 0;
    boolean truncated = false;
    try (Resolver b = Resolver.of(hierarchy, before, 0);
        Resolver a = Resolver.of(hierarchy, after, 0)) {
      int[] at = new int[axes.size()];
      String[] values = new String[axes.size()];
      while (true) {
        if (examined == MAX_CONTEXTS) {
          truncated = true;
          break;
        }
        for (int i = 0; i < at.length; i++) {
          values[i] = axes.get(i).get(at[i]);
        }
        Context ctx = Context.of(hierarchy, values);
        examined++;
        Explanation eb = b.explain(ctx);
        Explanation ea = a.explain(ctx);
        if (!Objects.equals(eb.value(), ea.value())) {
          boolean other = false;
          for (int i = 0; i < values.length; i++) {
            other |= values[i] == null && axes.get(i).size() > 1;
          }
          changed.add(new ContextChange(ctx, eb.value(), ea.value(), other));
          if (ctx.asMap().isEmpty()) {
            reachesAll = true;
          }
        } else if (written.isPresent()) {
          if (ea.outcome() == Explanation.Outcome.KILLED) {
            maskedByKill = true;
          } else if (ea.winner().isPresent()
              && !ea.winner().get().scope().equals(written.get())
              && ea.winner().get().scope().rank() > written.get().rank()) {
            masking.putIfAbsent(ea.winner().get().scope(), ea.winner().get());
          }
        }
        int i = at.length - 1;
        while (i >= 0 && ++at[i] == axes.get(i).size()) {
          at[i] = 0;
          i--;
        }
        if (i < 0) {
          break;
        }
      }
    }
    List<Setting> maskingRows = new ArrayList<>(masking.values());
    maskingRows.sort(Rows.PRECEDENCE);
    return new Effect(
        List.copyOf(changed), examined, truncated, maskingRows, maskedByKill, reachesAll);
  }
}
