package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupInstanceIdTest {
    private static final String VALID = "[A-Za-z0-9._-]{1,249}";

    @TempDir
    Path tmp;

    @Test
    void shouldBeTheSameMemberOnTheSameHostAndStateDirectoryAndAnotherOtherwise() {
        String first = GroupInstanceId.of(tmp.resolve("a"), "host-1").id();
        assertThat(first).startsWith("streamcl-host-1-").matches(VALID);
        assertThat(GroupInstanceId.of(tmp.resolve("a"), "host-1").id()).isEqualTo(first);
        assertThat(GroupInstanceId.of(tmp.resolve("b"), "host-1").id()).isNotEqualTo(first);
        assertThat(GroupInstanceId.of(tmp.resolve("a"), "host-2").id()) // a copy of the directory on another host
                .isNotEqualTo(first).endsWith(first.substring("streamcl-host-1".length()));
    }

    @Test
    void shouldHoldOnlyWhatAGroupInstanceIdMayHold() {
        String id = GroupInstanceId.of(tmp.resolve("a"), "ünïcode host:with/odd chars" + "x".repeat(300)).id();
        assertThat(id).matches(VALID).hasSizeLessThan(120);
    }

    @Test
    void shouldComeBackAfterAWipeAndReplaceWhatIsNotAnId() throws Exception {
        Path dir = tmp.resolve("app");
        GroupInstanceId member = GroupInstanceId.of(dir, "h");
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        member.keepIn(dir);
        assertThat(GroupInstanceId.of(dir, "h")).isEqualTo(member);

        Files.writeString(dir.resolve(".streamcl-group-instance-id"), "not an id\n");
        assertThat(GroupInstanceId.of(dir, "h").id()).isNotEqualTo(member.id()).matches(VALID);
    }
}
