package io.toggles.spi;

import io.toggles.Audit;
import io.toggles.Change;
import io.toggles.ChangeKind;
import io.toggles.ConflictException;
import io.toggles.Expect;
import io.toggles.FeatureDefinition;
import io.toggles.FeatureState;
import io.toggles.Hierarchy;
import io.toggles.Preview;
import io.toggles.Scope;
import io.toggles.Setting;
import io.toggles.SettingType;
import io.toggles.SettingValue;
import io.toggles.UnknownFeatureException;
import io.toggles.Write;
import io.toggles.WriteRefusedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one implementation of every write of {@link io.toggles.ToggleAdmin}: define, set, unset,
 * kill, unkill, revert, import, their {@link Expect}ations and every {@link WriteRules rule}, over
 * the {@link WriteTransaction} primitives of any store. A store supplies the primitives and a way
 * to run them in one transaction ({@link Transactions}); the engine decides what is written and
 * what is refused, with the same messages on every store.
 *
 * <p>Every write is one transaction. Its changes get consecutive revisions after the locked
 * revision and one change set (the revision of its last change), each a random id, and the store's
 * time. A row written gets version {@code max(old version + 1, revision of its change)}, so a row
 * deleted and created again never repeats a version its scope had: an expectation taken before the
 * delete fails.
 *
 * <p>Refusals are named: {@link WriteRefusedException} (with its {@link
 * WriteRefusedException.Rule}), {@link ConflictException}, {@link UnknownFeatureException}, {@link
 * io.toggles.WrongTypeException} and {@link IllegalArgumentException}. A refused write has written
 * nothing. Thread-safe if the store's {@link Transactions} is.
 */
public final class WriteEngine {

  /** Runs the engine's work in one write transaction of a store. */
  @FunctionalInterface
  public interface Transactions {
    /**
     * Opens a write transaction (taking the store's write lock), applies {@code work} to it, and
     * commits it if {@code commit} is true, else rolls it back. If {@code work} throws, the
     * transaction is rolled back and the exception rethrown: exceptions of this library and {@link
     * IllegalArgumentException} unchanged, storage failures as {@link io.toggles.StoreException}.
     *
     * @param action what the write does, for messages ({@code "setting 'f' at {global}"})
     */
    <R> R inTransaction(String action, boolean commit, Function<WriteTransaction, R> work);
  }

  private final Hierarchy hierarchy;
  private final Transactions transactions;

  /** An engine for a store of {@code hierarchy} whose transactions {@code transactions} runs. */
  public WriteEngine(Hierarchy hierarchy, Transactions transactions) {
    this.hierarchy = Objects.requireNonNull(hierarchy, "hierarchy");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
  }

  /**
   * Makes a write in one transaction.
   *
   * @return its changes in revision order, empty if it changed nothing
   */
  public List<Change> apply(Write write, Audit audit) {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(audit, "audit");
    return transactions.inTransaction(
        write.describe(), true, tx -> new Run(tx, audit).execute(write));
  }

  /**
   * Runs a write in a transaction that is rolled back: every rule and expectation applies, and the
   * result says what it would have written and how every feature it names would look.
   */
  public Preview preview(Write write, Audit audit) {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(audit, "audit");
    return transactions.inTransaction(
        write.describe(),
        false,
        tx -> {
          Run run = new Run(tx, audit);
          List<String> keys = featuresNamed(write, tx);
          List<FeatureState> before = new ArrayList<>();
          for (String key : keys) {
            before.add(state(tx, key, tx.lockedRevision()));
          }
          List<Change> changes = run.execute(write);
          long after = changes.isEmpty() ? tx.lockedRevision() : run.revision;
          List<Preview.FeatureChange> features = new ArrayList<>();
          for (int i = 0; i < keys.size(); i++) {
            features.add(new Preview.FeatureChange(before.get(i), state(tx, keys.get(i), after)));
          }
          return new Preview(changes, features);
        });
  }

  /** The features a write names, as far as they can be known before it runs. */
  private static List<String> featuresNamed(Write write, WriteTransaction tx) {
    if (write instanceof Write.Define w) {
      return List.of(w.definition().key());
    } else if (write instanceof Write.Set w) {
      return List.of(w.feature());
    } else if (write instanceof Write.Unset w) {
      return List.of(w.feature());
    } else if (write instanceof Write.Kill w) {
      return List.of(w.feature());
    } else if (write instanceof Write.Unkill w) {
      return List.of(w.feature());
    } else if (write instanceof Write.Revert w) {
      return tx.changeAt(w.revision()).map(c -> List.of(c.feature())).orElse(List.of());
    } else if (write instanceof Write.Import w) {
      return w.keys();
    }
    throw new IllegalArgumentException("unknown write " + write);
  }

  /** A feature as {@link ToggleStore#load} would return it, read inside the transaction. */
  private static FeatureState state(WriteTransaction tx, String key, long revision) {
    Optional<StoredDeclaration> stored = tx.declaration(key);
    Optional<FeatureDefinition> def = stored.flatMap(StoredDeclaration::definition);
    List<Setting> rows = new ArrayList<>();
    if (def.isPresent()) {
      for (StoredRow row : tx.rows(key)) {
        parse(def.get().type(), row.text())
            .ifPresent(v -> rows.add(new Setting(key, row.scope(), v, row.version())));
      }
    }
    return new FeatureState(
        key, def, stored.map(StoredDeclaration::killed).orElse(false), rows, revision);
  }

  /** A stored value, empty if it does not parse as {@code type} (written by hand). */
  private static Optional<SettingValue> parse(SettingType type, String text) {
    try {
      return Optional.of(type.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** One write: the transaction, the changes made so far and the declarations read. */
  private final class Run {
    private final WriteTransaction tx;
    private final Audit audit;
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Optional<StoredDeclaration>> declarations = new HashMap<>();
    private long revision;

    Run(WriteTransaction tx, Audit audit) {
      this.tx = tx;
      this.audit = audit;
      this.revision = tx.lockedRevision();
    }

    List<Change> execute(Write write) {
      if (write instanceof Write.Define w) {
        define(w.definition());
      } else if (write instanceof Write.Set w) {
        set(w.feature(), w.scope(), w.value(), w.expect(), OptionalLong.empty());
      } else if (write instanceof Write.Unset w) {
        unset(w.feature(), w.scope(), w.expect(), OptionalLong.empty());
      } else if (write instanceof Write.Kill w) {
        switchKill(w.feature(), true, OptionalLong.empty());
      } else if (write instanceof Write.Unkill w) {
        switchKill(w.feature(), false, OptionalLong.empty());
      } else if (write instanceof Write.Revert w) {
        revert(w.revision());
      } else if (write instanceof Write.Import w) {
        for (FeatureState f : w.features()) {
          importOne(f, w.prune());
        }
      } else {
        throw new IllegalArgumentException("unknown write " + write);
      }
      return finish();
    }

    /** Gives every change the write's change set and appends them all. */
    private List<Change> finish() {
      if (changes.isEmpty()) {
        return List.of();
      }
      List<Change> out = new ArrayList<>(changes.size());
      for (Change c : changes) {
        out.add(c.inChangeSet(revision, c.id()));
      }
      tx.appendChanges(out);
      return List.copyOf(out);
    }

    private Optional<StoredDeclaration> declaration(String feature) {
      return declarations.computeIfAbsent(feature, tx::declaration);
    }

    /**
     * The declaration a write of a value needs: empty if the feature is not declared (the rules
     * then refuse it as unknown); refused if it is unreadable, since the value cannot be typed.
     */
    private Optional<FeatureDefinition> typedDefinition(String feature) {
      Optional<StoredDeclaration> stored = declaration(feature);
      if (stored.isPresent() && stored.get().unreadable().isPresent()) {
        throw new WriteRefusedException(
            WriteRefusedException.Rule.UNREADABLE_DECLARATION,
            stored.get().unreadable().get() + "; declare it again with define");
      }
      return stored.flatMap(StoredDeclaration::definition);
    }

    private void define(FeatureDefinition definition) {
      String key = definition.key();
      Optional<StoredDeclaration> stored = declaration(key);
      Optional<FeatureDefinition> previous = stored.flatMap(StoredDeclaration::definition);
      boolean killed = stored.map(StoredDeclaration::killed).orElse(false);
      // Rows matter only to a change of type; an unreadable declaration may be declared again
      // over its rows (the repair path), which load with the new type where they parse.
      boolean typeChangesOverRows =
          previous.isPresent() && previous.get().type() != definition.type() && tx.hasRows(key);
      WriteRules.checkDefine(previous, definition, typeChangesOverRows, killed);
      tx.putDeclaration(definition, stored.isPresent(), audit);
      declarations.put(key, Optional.of(StoredDeclaration.of(definition, killed)));
      record(
          key,
          ChangeKind.DEFINE,
          Optional.empty(),
          previous.flatMap(FeatureDefinition::defaultValue),
          definition.defaultValue(),
          OptionalLong.empty(),
          OptionalLong.empty());
    }

    private Change set(
        String feature, Scope scope, SettingValue value, Expect expect, OptionalLong revertOf) {
      FeatureDefinition def =
          WriteRules.checkRow(
              hierarchy, feature, typedDefinition(feature), scope, Optional.of(value));
      return putRow(feature, def, scope, value, tx.row(feature, scope), expect, revertOf);
    }

    private Change putRow(
        String feature,
        FeatureDefinition def,
        Scope scope,
        SettingValue value,
        Optional<StoredRow> old,
        Expect expect,
        OptionalLong revertOf) {
      WriteRules.checkExpect(
          feature,
          scope,
          expect,
          old.isPresent() ? OptionalLong.of(old.get().version()) : OptionalLong.empty());
      // Never a version the scope had before, even if its row was deleted in between.
      long version = Math.max(old.map(r -> r.version() + 1).orElse(1L), revision + 1);
      tx.putRow(feature, scope, value, version, old.isPresent(), audit);
      return record(
          feature,
          ChangeKind.SET,
          Optional.of(scope),
          old.flatMap(r -> parse(def.type(), r.text())),
          Optional.of(value),
          OptionalLong.of(version),
          revertOf);
    }

    private Change unset(String feature, Scope scope, Expect expect, OptionalLong revertOf) {
      Optional<StoredDeclaration> stored = declaration(feature);
      if (stored.isEmpty()) {
        throw new UnknownFeatureException(feature);
      }
      WriteRules.checkScope(hierarchy, scope);
      Optional<StoredRow> old = tx.row(feature, scope);
      if (old.isEmpty()) {
        throw new ConflictException("feature '" + feature + "' has no row at " + scope);
      }
      return deleteRow(feature, stored.get().definition(), old.get(), expect, revertOf);
    }

    private Change deleteRow(
        String feature,
        Optional<FeatureDefinition> def,
        StoredRow old,
        Expect expect,
        OptionalLong revertOf) {
      WriteRules.checkExpect(feature, old.scope(), expect, OptionalLong.of(old.version()));
      tx.deleteRow(feature, old.scope());
      return record(
          feature,
          ChangeKind.UNSET,
          Optional.of(old.scope()),
          def.flatMap(d -> parse(d.type(), old.text())),
          Optional.empty(),
          OptionalLong.empty(),
          revertOf);
    }

    private Optional<Change> switchKill(String feature, boolean on, OptionalLong revertOf) {
      Optional<StoredDeclaration> stored;
      if (on) {
        WriteRules.checkKill(feature, typedDefinition(feature));
        stored = declaration(feature);
      } else {
        // Unkill needs no readable declaration: the repair path of a garbled one.
        stored = declaration(feature);
        if (stored.isEmpty()) {
          throw new UnknownFeatureException(feature);
        }
      }
      StoredDeclaration now = stored.orElseThrow();
      if (now.killed() == on) {
        return Optional.empty();
      }
      tx.setKilled(feature, on, audit);
      declarations.put(
          feature,
          Optional.of(new StoredDeclaration(feature, now.definition(), now.unreadable(), on)));
      return Optional.of(
          record(
              feature,
              on ? ChangeKind.KILL : ChangeKind.UNKILL,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              OptionalLong.empty(),
              revertOf));
    }

    private void revert(long target) {
      Change change =
          tx.changeAt(target)
              .orElseThrow(() -> new IllegalArgumentException("no change at revision " + target));
      Optional<Change> later =
          tx.changesAfter(change.feature(), target).stream()
              .filter(c -> WriteRules.touchesSame(change, c))
              .reduce((a, b) -> b);
      WriteRules.planRevert(change, later)
          .perform(
              change.feature(),
              target,
              new WriteRules.Writes() {
                @Override
                public Change set(String f, Scope scope, SettingValue value, OptionalLong of) {
                  return Run.this.set(f, scope, value, Expect.any(), of);
                }

                @Override
                public Change unset(String f, Scope scope, OptionalLong of) {
                  return Run.this.unset(f, scope, Expect.any(), of);
                }

                @Override
                public Optional<Change> kill(String f, boolean on, OptionalLong of) {
                  return switchKill(f, on, of);
                }
              });
    }

    private void importOne(FeatureState f, boolean prune) {
      FeatureDefinition def = f.definition().orElseThrow();
      String key = f.key();
      if (!f.definition().equals(declaration(key).flatMap(StoredDeclaration::definition))) {
        define(def);
      }
      Map<Scope, StoredRow> current = new LinkedHashMap<>();
      for (StoredRow row : tx.rows(key)) {
        current.put(row.scope(), row);
      }
      Map<Scope, Setting> wanted = new LinkedHashMap<>();
      for (Setting row : f.rows()) {
        wanted.put(row.scope(), row);
      }
      for (Setting row : wanted.values()) {
        StoredRow now = current.get(row.scope());
        if (now == null || !parse(def.type(), now.text()).equals(Optional.of(row.value()))) {
          WriteRules.checkRow(
              hierarchy, key, Optional.of(def), row.scope(), Optional.of(row.value()));
          putRow(
              key,
              def,
              row.scope(),
              row.value(),
              Optional.ofNullable(now),
              Expect.any(),
              OptionalLong.empty());
        }
      }
      if (prune) {
        for (StoredRow now : current.values()) {
          if (!wanted.containsKey(now.scope())) {
            deleteRow(key, Optional.of(def), now, Expect.any(), OptionalLong.empty());
          }
        }
      }
      switchKill(key, f.killed(), OptionalLong.empty());
    }

    private Change record(
        String feature,
        ChangeKind kind,
        Optional<Scope> scope,
        Optional<SettingValue> oldValue,
        Optional<SettingValue> newValue,
        OptionalLong newVersion,
        OptionalLong revertOf) {
      revision++;
      Change c =
          new Change(
              revision,
              feature,
              kind,
              scope,
              oldValue,
              newValue,
              newVersion,
              audit.actor(),
              audit.reason(),
              revertOf,
              tx.now(),
              revision,
              UUID.randomUUID().toString());
      changes.add(c);
      return c;
    }
  }
}
