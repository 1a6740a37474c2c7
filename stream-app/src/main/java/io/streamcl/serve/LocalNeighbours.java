package io.streamcl.serve;

import io.streamcl.index.Neighbour;
import io.streamcl.index.VersionIndex;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /internal/neighbours}: one instance's part of a search, from the partitions it holds. It answers
 * only from the version asked for: an instance still on another one says so (409), and the search is not merged.
 */
final class LocalNeighbours {
    /** One instance's answer: which version, which partitions it covered, its k nearest. */
    record Part(long version, Set<Integer> partitions, List<Neighbour> neighbours) {}

    private LocalNeighbours() {}

    static Reply answer(NeighbourView view, NeighbourQuery q) {
        Optional<VersionIndex> index = view.index(q.kind());
        if (index.isEmpty()) {
            return Reply.error(503, "no version of kind " + q.kind() + " is complete on this instance yet; try again");
        }
        VersionIndex i = index.get();
        if (i.version() != q.version()) {
            return Reply.error(409, "this instance serves version " + i.version() + " of kind " + q.kind() + ", not "
                    + q.version() + " (a version is being handed over); try again");
        }
        try {
            return Reply.json(200, new Part(i.version(), view.covered(), i.nearest(q.vector(), q.k(), q.exclude())));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        } catch (IllegalStateException e) { // handed over and closed while this search ran
            return Reply.error(409, "version " + q.version() + " of kind " + q.kind() + " was just replaced; try again");
        }
    }
}
