package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupInstanceIdTest {
    @TempDir
    Path tmp;

    @Test
    void shouldBeTheSameMemberOnTheSameStateDirectoryAndAnotherOnAnother() {
        String first = GroupInstanceId.of(tmp.resolve("a"));
        assertThat(first).startsWith("streamcl-");
        assertThat(GroupInstanceId.of(tmp.resolve("a"))).isEqualTo(first);
        assertThat(GroupInstanceId.of(tmp.resolve("b"))).isNotEqualTo(first);
    }

    @Test
    void shouldComeBackAfterAWipeAndReplaceWhatIsNotAnId() throws Exception {
        Path dir = tmp.resolve("app");
        String id = GroupInstanceId.of(dir);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        GroupInstanceId.keep(dir, id);
        assertThat(GroupInstanceId.of(dir)).isEqualTo(id);

        Files.writeString(dir.resolve(".streamcl-group-instance-id"), "not an id\n");
        assertThat(GroupInstanceId.of(dir)).isNotEqualTo(id).matches("streamcl-[0-9a-f-]{36}");
    }
}
