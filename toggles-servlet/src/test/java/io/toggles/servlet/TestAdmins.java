package io.toggles.servlet;

import io.toggles.Hierarchy;
import io.toggles.ToggleAdmin;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.function.Supplier;

/** Stores that fail on purpose, for the admin endpoint's error answers. */
final class TestAdmins {
  private static final Set<String> WRITES =
      Set.of("define", "set", "unset", "kill", "unkill", "revert", "importAll");

  private TestAdmins() {}

  /** A store of {@code hierarchy} whose every call throws {@code failure}. */
  static ToggleAdmin failing(Hierarchy hierarchy, Supplier<RuntimeException> failure) {
    return proxy(
        "failing admin",
        (name, call) -> {
          if (name.equals("hierarchy")) {
            return hierarchy;
          }
          throw failure.get();
        });
  }

  /**
   * {@code store} for reads, whose every write throws {@code failure}: a store that refuses or
   * breaks at the moment of writing, after the endpoint's own checks passed.
   */
  static ToggleAdmin failingWrites(ToggleAdmin store, Supplier<RuntimeException> failure) {
    return proxy(
        "admin failing writes",
        (name, call) -> {
          if (WRITES.contains(name)) {
            throw failure.get();
          }
          return call.invoke(store);
        });
  }

  private interface Call {
    Object invoke(Object target) throws Exception;
  }

  private interface Handler {
    Object handle(String method, Call call) throws Exception;
  }

  private static ToggleAdmin proxy(String description, Handler handler) {
    return (ToggleAdmin)
        Proxy.newProxyInstance(
            ToggleAdmin.class.getClassLoader(),
            new Class<?>[] {ToggleAdmin.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "toString":
                  return description;
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                default:
                  return handler.handle(
                      method.getName(),
                      target -> {
                        try {
                          return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                          if (e.getCause() instanceof Exception cause) {
                            throw cause;
                          }
                          throw e;
                        }
                      });
              }
            });
  }
}
