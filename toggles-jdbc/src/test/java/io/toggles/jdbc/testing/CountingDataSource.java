package io.toggles.jdbc.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Wraps a data source so that every statement execution on its connections is counted (plain,
 * prepared and callable statements alike), to prove how many queries the store really issues.
 */
public final class CountingDataSource {
  private final AtomicLong executions = new AtomicLong();
  private final DataSource proxy;

  /** Counts the statements run on {@code target}'s connections. */
  public CountingDataSource(DataSource target) {
    this.proxy = wrap(DataSource.class, target, this::connection);
  }

  /** The counting data source. */
  public DataSource dataSource() {
    return proxy;
  }

  /** Statements executed so far. */
  public long executions() {
    return executions.get();
  }

  private Object connection(Object result) {
    return result instanceof Connection c ? wrap(Connection.class, c, this::statement) : result;
  }

  private Object statement(Object result) {
    if (result instanceof Statement s) {
      Class<? extends Statement> type =
          result instanceof java.sql.CallableStatement
              ? java.sql.CallableStatement.class
              : result instanceof java.sql.PreparedStatement
                  ? java.sql.PreparedStatement.class
                  : Statement.class;
      return wrapStatement(type, s);
    }
    return result;
  }

  private <T extends Statement> Object wrapStatement(Class<T> type, Statement target) {
    InvocationHandler h =
        (p, m, args) -> {
          if (m.getName().startsWith("execute")) {
            executions.incrementAndGet();
          }
          return invoke(target, m, args);
        };
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h);
  }

  private <T> T wrap(Class<T> type, T target, java.util.function.UnaryOperator<Object> onResult) {
    InvocationHandler h =
        (p, m, args) -> {
          if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
            return invoke(target, m, args);
          }
          return onResult.apply(invoke(target, m, args));
        };
    return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, h));
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
