package io.toggles.cli;

import io.toggles.ConflictException;
import io.toggles.StoreException;
import io.toggles.TogglesException;
import io.toggles.internal.DisplayText;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one line on stderr and an exit code: usage errors 2, conflicts 3, everything
 * else 1. Stack traces only with {@code --verbose}. A message may quote stored text or input, so it
 * is escaped as {@link Output} escapes lines and cut after {@link #MAX_MESSAGE} characters; and it
 * may quote a JDBC URL (a driver's message), so every credential form in it is redacted.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  /** The longest error message printed; a message quoting a whole stored value is cut. */
  static final int MAX_MESSAGE = 2_000;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + shown(ex.getMessage()));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    if (verbose(cmd)) {
      printStackTrace(ex, err);
    }
    err.flush();
    return ExitCode.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    int code = ex instanceof ConflictException ? ExitCode.CONFLICT : ExitCode.FAILED;
    err.println("error: " + message(ex));
    if (verbose(cmd)) {
      printStackTrace(ex, err);
    }
    err.flush();
    return code;
  }

  /** The exception's message, with the root cause of a store failure, on one line, escaped. */
  static String message(Throwable ex) {
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    if (!(ex instanceof TogglesException) && !(ex instanceof IllegalArgumentException)) {
      msg = ex.getClass().getSimpleName() + ": " + msg + " (run with --verbose for details)";
    }
    if (ex instanceof StoreException) {
      Throwable root = ex;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root != ex && root.getMessage() != null && !msg.contains(root.getMessage())) {
        msg = msg + ": " + root.getMessage();
      }
    }
    return shown(msg);
  }

  private static String shown(String message) {
    return DisplayText.escape(
        UrlPolicy.redact(message.replace('\n', ' ').replace('\r', ' ')), MAX_MESSAGE);
  }

  private static void printStackTrace(Throwable ex, PrintWriter err) {
    StringWriter trace = new StringWriter();
    ex.printStackTrace(new PrintWriter(trace));
    trace
        .toString()
        .lines()
        .forEach(
            line ->
                err.println(
                    line.startsWith("\t")
                        ? "\t" + DisplayText.escape(UrlPolicy.redact(line.substring(1)))
                        : DisplayText.escape(UrlPolicy.redact(line))));
  }

  private static boolean verbose(CommandLine cmd) {
    Object root = cmd.getCommandSpec().root().userObject();
    return root instanceof TogglesCommand t && t.verbose;
  }
}
