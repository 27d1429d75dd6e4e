package io.toggles;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** A scheduler that runs every submitted task at once on the submitting thread. */
final class InlineScheduler extends ScheduledThreadPoolExecutor {
  InlineScheduler() {
    super(1);
  }

  @Override
  public void execute(Runnable command) {
    command.run();
  }
}
