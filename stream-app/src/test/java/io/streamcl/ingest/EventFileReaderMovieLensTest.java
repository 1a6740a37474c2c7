package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EventFileReader#movieLens} on files in the MovieLens "latest" layout. */
class EventFileReaderMovieLensTest {

    private static final String RATINGS = "userId,movieId,rating,timestamp\n"
            + "1,1,4.0,964982703\n"
            + "1,3,4.0,964981247\n"
            + "1,11,2.5,964982224\n"
            + "2,6,4.5,1445714835\n"
            + "2,99,3.0,1445714000\n";

    private static final String MOVIES = "movieId,title,genres\n"
            + "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
            + "3,Grumpier Old Men (1995),Comedy|Romance\n"
            + "6,Heat (1995),Action|Crime|Thriller\n"
            + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
            + "12,\"Dracula: Dead and Loving It (1995)\",Comedy|Horror\n"
            + "13,\"Quote \"\"Me\"\" (2001)\",(no genres listed)\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private List<EventRow> read(String ratings, String movies, List<String> bad) throws IOException {
        Path r = write("ratings.csv", ratings);
        Path m = movies == null ? null : write("movies.csv", movies);
        try (Stream<EventRow> rows = EventFileReader.movieLens(r, m, bad::add)) {
            return rows.toList();
        }
    }

    @Test
    void shouldReadRatingsWithSecondsAsMillisAndRatingAsWeight() throws IOException {
        List<String> bad = new ArrayList<>();
        List<EventRow> rows = read(RATINGS, null, bad);

        assertThat(bad).isEmpty();
        assertThat(rows).hasSize(5);
        assertThat(rows.get(0)).isEqualTo(new EventRow("1", "1", "rating", 964_982_703_000L, 4.0f, null));
        assertThat(rows.get(3)).isEqualTo(new EventRow("2", "6", "rating", 1_445_714_835_000L, 4.5f, null));
    }

    @Test
    void shouldAttachTitlesWithCommasAndGenresFromMovies() throws IOException {
        List<String> bad = new ArrayList<>();
        List<EventRow> rows = read(RATINGS, MOVIES, bad);

        assertThat(bad).isEmpty();
        assertThat(rows.get(0).itemAttributes()).isEqualTo(Map.of(
                "title", "Toy Story (1995)", "genres", "Adventure|Animation|Children|Comedy|Fantasy"));
        assertThat(rows.get(2).itemAttributes()).isEqualTo(Map.of(
                "title", "American President, The (1995)", "genres", "Comedy|Drama|Romance"));
        // movie 99 is not in movies.csv: no attributes, not a bad row
        assertThat(rows.get(4).itemAttributes()).isEmpty();
    }

    @Test
    void shouldDropTheNoGenresMarkerAndUnquoteDoubledQuotes() throws IOException {
        List<EventRow> rows = read("userId,movieId,rating,timestamp\n5,13,1.0,1000000000\n", MOVIES, new ArrayList<>());
        assertThat(rows.get(0).itemAttributes()).isEqualTo(Map.of("title", "Quote \"Me\" (2001)"));
    }

    @Test
    void shouldShareOneAttributeMapPerMovie() throws IOException {
        List<EventRow> rows = read("userId,movieId,rating,timestamp\n1,6,1,1000000000\n2,6,2,1000000001\n",
                MOVIES, new ArrayList<>());
        assertThat(rows.get(0).itemAttributes()).isSameAs(rows.get(1).itemAttributes());
    }

    @Test
    void shouldReportBadRowsOfBothFilesWithLineNumbers() throws IOException {
        String ratings = "userId,movieId,rating,timestamp\n"
                + "1,1,4.0,964982703\n"
                + "1,3,four,964981247\n"
                + "1,3,4.0\n"
                + "2,6,4.5,1445714835.5\n"
                + "3,6,4.5,1445714835\n";
        String movies = "movieId,title,genres\n"
                + "1,Toy Story (1995),Animation\n"
                + "2,\"Jumanji (1995),Adventure\n";
        List<String> bad = new ArrayList<>();
        List<EventRow> rows = read(ratings, movies, bad);

        assertThat(rows).extracting(EventRow::userId).containsExactly("1", "3");
        assertThat(bad).containsExactly(
                dir.resolve("movies.csv") + ": line 3: quoted field is not closed on its line",
                dir.resolve("ratings.csv") + ": line 3: rating is not a number: 'four'",
                dir.resolve("ratings.csv") + ": line 4: expected 4 fields (userId,movieId,rating,timestamp), got 3",
                dir.resolve("ratings.csv") + ": line 5: timestamp is not an integer: '1445714835.5'");
    }

    @Test
    void shouldReplayRatingsInTimestampOrder() throws IOException {
        Path r = write("ratings.csv", RATINGS);
        List<EventRow> sorted = EventFileReader.sortedByTime(EventFileReader.movieLens(r, null, s -> { }));
        assertThat(sorted).extracting(EventRow::timestampMillis).isSorted();
        assertThat(sorted).extracting(EventRow::itemId).containsExactly("3", "11", "1", "99", "6");
    }
}
