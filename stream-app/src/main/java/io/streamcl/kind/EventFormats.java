package io.streamcl.kind;

import io.streamcl.ingest.EventFileReader;
import io.streamcl.ingest.EventItems;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.schema.RawItem;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The files user events are read from, and the generator of synthetic ones. Events are sorted by time, so read
 * whole; ids are {@code <id-prefix><user>:<timestamp ms>:<index>}, replayed in time order.
 */
final class EventFormats {
    private EventFormats() {}

    static List<ItemFormat> all() {
        return List.of(new ItemFormat("movielens", "ratings.csv; see --items", true, null,
                        (o, onSkip) -> rawItems(EventFileReader.sortedByTime(EventFileReader.movieLens(o.input(), o.items(),
                                onSkip)), o), o -> null),
                ItemFormat.of("csv", "user,item,timestamp[,weight]",
                        (o, onSkip) -> rawItems(EventFileReader.sortedByTime(EventFileReader.csv(o.input(), onSkip)), o)),
                new ItemFormat(ItemFormat.SYNTHETIC, "user events", false, null,
                        (o, onSkip) -> rawItems(SyntheticEvents.builder().users(o.users()).items(o.catalogue())
                                .eventsPerUser(o.eventsPerUser()).seed(o.seed()).build().generate(), o),
                        o -> o.users() < 1 || o.catalogue() < 1 || o.eventsPerUser() < 1
                                ? "--users, --catalogue and --events-per-user must be >= 1" : null));
    }

    private static Stream<RawItem> rawItems(List<EventRow> rows, ItemFormat.Options o) {
        return IntStream.range(0, rows.size())
                .mapToObj(i -> EventItems.rawItem(o.idPrefix() + EventItems.eventId(rows.get(i), i), rows.get(i)));
    }
}
