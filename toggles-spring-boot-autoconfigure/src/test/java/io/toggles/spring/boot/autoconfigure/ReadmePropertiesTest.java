package io.toggles.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of {@code toggles.*} properties is the configuration metadata that {@code
 * spring-boot-configuration-processor} generated from {@link TogglesProperties}: same names, same
 * defaults, same descriptions, same order. On a mismatch the message holds the table to paste.
 */
class ReadmePropertiesTest {
  private static final Pattern TABLE =
      Pattern.compile("<!-- properties:begin -->\\n(.*?)<!-- properties:end -->", Pattern.DOTALL);

  @Test
  void theReadmeTableIsTheGeneratedMetadata() throws IOException {
    String expected = table();
    String readme = Files.readString(Path.of("../README.md"));
    Matcher m = TABLE.matcher(readme);
    assertThat(m.find()).as("README has the properties table markers").isTrue();
    assertThat(m.group(1))
        .as("README properties table; generated from the metadata:%n%s", expected)
        .isEqualTo(expected);
  }

  /** The table, one row per property of the metadata, in its order. */
  static String table() throws IOException {
    JsonNode metadata;
    try (InputStream in =
        ReadmePropertiesTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata on the class path").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> rows = new ArrayList<>();
    rows.add("| property | default | what it does |");
    rows.add("|---|---|---|");
    for (JsonNode p : metadata.get("properties")) {
      rows.add(
          "| `"
              + p.get("name").asText()
              + "` | "
              + defaultValue(p.get("defaultValue"))
              + " | "
              + p.path("description").asText("").replace("|", "\\|").replaceAll("\\s+", " ")
              + " |");
    }
    return String.join("\n", rows) + "\n";
  }

  private static String defaultValue(JsonNode v) {
    if (v == null || v.isNull()) {
      return "";
    }
    if (v.isArray()) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.asText()));
      return parts.isEmpty() ? "" : "`" + String.join(",", parts) + "`";
    }
    return "`" + v.asText() + "`";
  }
}
