package io.toggles.cli;

/**
 * A class a hostile H2 URL names (as its event listener or table engine): loading it leaves a mark,
 * so that a test can show that the URL policy stopped the URL before H2 could load it.
 */
public final class LoadedSpy {
  static final String MARK = "toggles.test.loaded-spy";

  static {
    System.setProperty(MARK, "loaded");
  }

  /** For H2, which instantiates what it loads. */
  public LoadedSpy() {}
}
