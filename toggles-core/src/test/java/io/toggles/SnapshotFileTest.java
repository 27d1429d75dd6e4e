package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  private static final Hierarchy H = Hierarchy.DEFAULT;
  @TempDir Path dir;

  private static FeatureState flag(boolean killed) {
    return new FeatureState(
        "flag",
        Optional.of(FeatureDefinition.bool("flag")),
        killed,
        List.of(new Setting("flag", H.global(), SettingValue.of(true), 3)),
        7);
  }

  @Test
  void aSnapshotRecordsWhichStoreAndWhichPointOfItsHistoryItHolds() throws Exception {
    Path file = dir.resolve("s.json");
    SnapshotFile.write(
        file,
        H,
        "jdbc:postgresql://db/app",
        "store-1",
        7,
        Optional.of("change-7"),
        List.of(flag(true)));
    SnapshotFile.Contents c = SnapshotFile.read(file, H);
    assertThat(c.locator()).contains("jdbc:postgresql://db/app");
    assertThat(c.storeId()).isEqualTo("store-1");
    assertThat(c.revision()).isEqualTo(7);
    assertThat(c.changeId()).contains("change-7");
    assertThat(c.features()).containsExactly(flag(true));
    // Additions to format version 1: a reader of the previous release skips fields it does not
    // know, and checks the version.
    assertThat(Files.readString(file)).contains("\"version\":1");
  }

  @Test
  void aSnapshotOfThePreviousReleaseWithoutStoreFieldsIsServedAtAStartWithTheStoreDown()
      throws Exception {
    Path file = dir.resolve("old.json");
    Files.writeString(
        file,
        "{\"format\":\"toggles-snapshot\",\"version\":1,"
            + "\"hierarchy\":[\"product\",\"merchant\",\"country\"],\"revision\":7,"
            + "\"features\":[{\"key\":\"flag\",\"revision\":7,\"killed\":true,"
            + "\"definition\":{\"type\":\"BOOLEAN\",\"description\":\"\",\"owner\":\"\"},"
            + "\"rows\":[{\"scope\":[null,null,null],\"type\":\"BOOLEAN\",\"value\":\"true\","
            + "\"version\":3}]}],\"count\":1}");
    SnapshotFile.Contents c = SnapshotFile.read(file, H);
    assertThat(c.locator()).isEmpty();
    assertThat(c.storeId()).isEmpty();
    assertThat(c.changeId()).isEmpty();

    ControllableStore down = new ControllableStore(InMemoryStore.create(H));
    down.mode(ControllableStore.Mode.DOWN);
    try (Toggles t =
        Toggles.builder(down)
            .syncInterval(Duration.ZERO)
            .startWait(Duration.ofMillis(100))
            .snapshotFile(file)
            .build()) {
      assertThat(t.health().fromSnapshot()).isTrue();
      assertThat(t.isEnabled("flag", Context.empty(H))).as("the kill holds").isFalse();
      assertThat(t.explain("flag", Context.empty(H)).outcome())
          .isEqualTo(Explanation.Outcome.KILLED);
    }
  }
}
