package io.toggles;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The last-known-good snapshot: every feature of one generation, written after a sync that changed
 * something and read when the first load fails, so that a kill switch that was on before a restart
 * is still on while the database is down. Written to a temporary file, forced to disk and renamed
 * over the old one, so a reader sees the old file or the new one, never half of one.
 *
 * <p>It records which store it was written for ({@link io.toggles.spi.ToggleStore#locator()}, and
 * the store's identity) and which point of its history (revision, id of the change there): a node
 * ignores a snapshot of another locator, and reloads everything when the store first answers. The
 * fields are additions to format version 1, which a reader of the previous release skips.
 */
final class SnapshotFile {
  static final String FORMAT = "toggles-snapshot";
  static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What a snapshot held. {@code locator} is empty in a file of the previous release, {@code
   * storeId} and {@code changeId} empty when unknown.
   */
  record Contents(
      Optional<String> locator,
      String storeId,
      long revision,
      Optional<String> changeId,
      List<FeatureState> features) {}

  private SnapshotFile() {}

  static void write(
      Path path,
      Hierarchy hierarchy,
      String locator,
      String storeId,
      long revision,
      Optional<String> changeId,
      Collection<FeatureState> states)
      throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(ch);
          JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", VERSION);
        g.writeArrayFieldStart("hierarchy");
        for (String d : hierarchy.dimensions()) {
          g.writeString(d);
        }
        g.writeEndArray();
        g.writeStringField("locator", locator);
        g.writeStringField("storeId", storeId);
        g.writeNumberField("revision", revision);
        if (changeId.isPresent()) {
          g.writeStringField("changeId", changeId.get());
        }
        g.writeArrayFieldStart("features");
        for (FeatureState s : states) {
          writeFeature(g, s);
        }
        g.writeEndArray();
        g.writeNumberField("count", states.size());
        g.writeEndObject();
        g.flush();
        ch.force(true);
      }
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeFeature(JsonGenerator g, FeatureState s) throws IOException {
    g.writeStartObject();
    g.writeStringField("key", s.key());
    g.writeNumberField("revision", s.revision());
    g.writeBooleanField("killed", s.killed());
    if (s.definition().isPresent()) {
      FeatureDefinition d = s.definition().get();
      g.writeObjectFieldStart("definition");
      g.writeStringField("type", d.type().name());
      if (d.defaultValue().isPresent()) {
        g.writeStringField("default", d.defaultValue().get().text());
      }
      g.writeStringField("description", d.description());
      g.writeStringField("owner", d.owner());
      g.writeEndObject();
    }
    g.writeArrayFieldStart("rows");
    for (Setting r : s.rows()) {
      g.writeStartObject();
      g.writeArrayFieldStart("scope");
      for (int i = 0; i < r.scope().values.length; i++) {
        String v = r.scope().values[i];
        if (v == null) {
          g.writeNull();
        } else {
          g.writeString(v);
        }
      }
      g.writeEndArray();
      g.writeStringField("type", r.value().type().name());
      g.writeStringField("value", r.value().text());
      g.writeNumberField("version", r.version());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Reads a snapshot of this hierarchy.
   *
   * @throws IOException if the file cannot be read, is not a complete snapshot, or is of another
   *     hierarchy or format version
   */
  static Contents read(Path path, Hierarchy hierarchy) throws IOException {
    try (JsonParser p = JSON.createParser(path.toFile())) {
      expect(p, JsonToken.START_OBJECT);
      long revision = -1;
      Optional<String> locator = Optional.empty();
      String storeId = "";
      Optional<String> changeId = Optional.empty();
      Integer count = null;
      List<FeatureState> features = null;
      boolean formatOk = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "format":
            formatOk = FORMAT.equals(p.getText());
            break;
          case "version":
            if (p.getIntValue() != VERSION) {
              throw new IOException(
                  "snapshot format version " + p.getText() + " is not " + VERSION);
            }
            break;
          case "hierarchy":
            List<String> dims = new ArrayList<>();
            while (p.nextToken() == JsonToken.VALUE_STRING) {
              dims.add(p.getText());
            }
            if (!dims.equals(hierarchy.dimensions())) {
              throw new IOException(
                  "snapshot is of hierarchy " + dims + ", not " + hierarchy.dimensions());
            }
            break;
          case "revision":
            revision = p.getLongValue();
            break;
          case "locator":
            locator = Optional.of(p.getText());
            break;
          case "storeId":
            storeId = p.getText();
            break;
          case "changeId":
            changeId = Optional.of(p.getText());
            break;
          case "features":
            features = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
              features.add(readFeature(p, hierarchy));
            }
            break;
          case "count":
            count = p.getIntValue();
            break;
          default:
            p.skipChildren();
        }
      }
      if (!formatOk || features == null || count == null || count != features.size()) {
        throw new IOException("snapshot is incomplete or not a toggles snapshot");
      }
      return new Contents(locator, storeId, revision, changeId, features);
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new IOException("snapshot holds invalid data: " + e.getMessage(), e);
    }
  }

  private static FeatureState readFeature(JsonParser p, Hierarchy hierarchy) throws IOException {
    String key = null;
    long revision = 0;
    boolean killed = false;
    Optional<FeatureDefinition> definition = Optional.empty();
    List<Setting> rows = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "key":
          key = p.getText();
          break;
        case "revision":
          revision = p.getLongValue();
          break;
        case "killed":
          killed = p.getBooleanValue();
          break;
        case "definition":
          definition = Optional.of(readDefinition(p, key));
          break;
        case "rows":
          while (p.nextToken() == JsonToken.START_OBJECT) {
            rows.add(readRow(p, key, hierarchy));
          }
          break;
        default:
          p.skipChildren();
      }
    }
    return new FeatureState(key, definition, killed, rows, revision);
  }

  private static FeatureDefinition readDefinition(JsonParser p, String key) throws IOException {
    SettingType type = null;
    String dflt = null;
    String description = "";
    String owner = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "type":
          type = SettingType.valueOf(p.getText());
          break;
        case "default":
          dflt = p.getText();
          break;
        case "description":
          description = p.getText();
          break;
        case "owner":
          owner = p.getText();
          break;
        default:
          p.skipChildren();
      }
    }
    FeatureDefinition.Builder b =
        FeatureDefinition.builder(key, type).description(description).owner(owner);
    if (dflt != null) {
      b.defaultValue(dflt);
    }
    return b.build();
  }

  private static Setting readRow(JsonParser p, String key, Hierarchy hierarchy) throws IOException {
    String[] scope = new String[hierarchy.size()];
    SettingType type = null;
    String value = null;
    long version = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "scope":
          int i = 0;
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (i >= scope.length) {
              throw new IOException("row of '" + key + "' has too many scope values");
            }
            scope[i++] = t == JsonToken.VALUE_NULL ? null : p.getText();
          }
          break;
        case "type":
          type = SettingType.valueOf(p.getText());
          break;
        case "value":
          value = p.getText();
          break;
        case "version":
          version = p.getLongValue();
          break;
        default:
          p.skipChildren();
      }
    }
    return new Setting(key, Scope.of(hierarchy, scope), type.parse(value), version);
  }

  private static void expect(JsonParser p, JsonToken token) throws IOException {
    if (p.nextToken() != token) {
      throw new IOException("snapshot is not a JSON object");
    }
  }
}
