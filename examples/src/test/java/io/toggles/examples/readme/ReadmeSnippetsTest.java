package io.toggles.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of README.md is a region of {@link ReadmeExamples}, which the build compiles.
 */
class ReadmeSnippetsTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern REGION =
      Pattern.compile("// tag::([a-z-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL);

  private static String dedent(String block) {
    List<String> lines = new ArrayList<>(List.of(block.stripTrailing().split("\n", -1)));
    int indent = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        indent = Math.min(indent, l.length() - l.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String l : lines) {
      out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return out.toString();
  }

  @Test
  void everyJavaBlockOfTheReadmeIsCompiledExampleCode() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String source =
        Files.readString(Path.of("src/main/java/io/toggles/examples/readme/ReadmeExamples.java"));
    Map<String, String> regions = new LinkedHashMap<>();
    Matcher r = REGION.matcher(source);
    while (r.find()) {
      regions.put(r.group(1), dedent(r.group(2)));
    }
    assertThat(regions).containsOnlyKeys("lookups", "embedding", "servlet", "admin");

    List<String> blocks = new ArrayList<>();
    Matcher b = JAVA_BLOCK.matcher(readme);
    while (b.find()) {
      blocks.add(dedent(b.group(1)));
    }
    assertThat(blocks).as("README has Java blocks").isNotEmpty();
    for (String block : blocks) {
      assertThat(regions.values()).as("README block:%n%s", block).contains(block);
    }
    assertThat(blocks).as("every region is shown").hasSize(regions.size());
  }
}
