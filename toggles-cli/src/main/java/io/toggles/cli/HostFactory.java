package io.toggles.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Creates the commands and mixins picocli instantiates, handing the {@link Host} to those whose
 * constructor takes one (picocli's way of dependency injection); others get picocli's default.
 */
final class HostFactory implements IFactory {
  private final Host host;

  HostFactory(Host host) {
    this.host = host;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    Constructor<K> withHost;
    try {
      withHost = cls.getDeclaredConstructor(Host.class);
    } catch (NoSuchMethodException e) {
      return CommandLine.defaultFactory().create(cls);
    }
    return withHost.newInstance(host);
  }
}
