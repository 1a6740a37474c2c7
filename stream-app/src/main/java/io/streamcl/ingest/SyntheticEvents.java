package io.streamcl.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded stream of user events with planted structure, to test that a recommender learns something a
 * popularity count cannot.
 *
 * <p>Items {@code i0..i<items-1>} fall into {@code clusters} clusters round-robin (item j is in cluster
 * j mod clusters, so cluster sizes differ by at most one); within a cluster the item of rank r (r = j div
 * clusters) has popularity weight (r+1)^-s, a Zipf law with exponent s = {@code popularitySkew}. Each
 * user {@code u<n>} likes between {@code minTasteClusters} and {@code maxTasteClusters} clusters, drawn
 * uniformly. Each of the user's {@code eventsPerUser} events is, with probability
 * {@code noiseProbability}, an item drawn uniformly from the whole catalogue, and otherwise an item
 * of one of the user's clusters (the cluster uniform, the item by popularity). A user never sees an item
 * twice (so leave-last-out evaluation never holds out an item seen before); when the user's clusters are
 * used up, the draw is a noise draw.
 *
 * <p>So the next item is predictable from the history (its clusters), while a most-popular list only
 * knows the heads of all clusters, most of which a given user does not like.
 *
 * <p>Time: each user starts at a uniform time in [start, start + eventsPerUser * meanGapMillis) and then
 * waits 1 + Exp(meanGapMillis) ms between events, so users overlap and their events interleave.
 * {@link #generate()} returns all events sorted by time (ties: by user, then the user's order).
 *
 * <p>By default items carry no attributes, so a model must find the clusters from co-occurrence alone;
 * {@code clusterAttributes(true)} adds {@code {"cluster": "c<k>"}} to every event.
 */
public final class SyntheticEvents {

    /** The event type of every generated event. */
    public static final String EVENT_TYPE = "interaction";

    private final int users;
    private final int items;
    private final int clusters;
    private final int eventsPerUser;
    private final int minTasteClusters;
    private final int maxTasteClusters;
    private final double noiseProbability;
    private final double popularitySkew;
    private final long seed;
    private final long startMillis;
    private final long meanGapMillis;
    private final boolean clusterAttributes;
    private final int[][] tastes;

    private SyntheticEvents(Builder b) {
        this.users = b.users;
        this.items = b.items;
        this.clusters = b.clusters;
        this.eventsPerUser = b.eventsPerUser;
        this.minTasteClusters = b.minTasteClusters;
        this.maxTasteClusters = b.maxTasteClusters;
        this.noiseProbability = b.noiseProbability;
        this.popularitySkew = b.popularitySkew;
        this.seed = b.seed;
        this.startMillis = b.startMillis;
        this.meanGapMillis = b.meanGapMillis;
        this.clusterAttributes = b.clusterAttributes;
        this.tastes = drawTastes();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static String userId(int user) {
        return "u" + user;
    }

    public static String itemId(int item) {
        return "i" + item;
    }

    public int users() { return users; }
    public int items() { return items; }
    public int clusters() { return clusters; }
    public int eventsPerUser() { return eventsPerUser; }
    public double noiseProbability() { return noiseProbability; }
    public double popularitySkew() { return popularitySkew; }
    public long seed() { return seed; }

    /** Every item id, i0 first. */
    public List<String> itemIds() {
        List<String> ids = new ArrayList<>(items);
        for (int j = 0; j < items; j++) {
            ids.add(itemId(j));
        }
        return ids;
    }

    /**
     * The planted cluster of an item, in [0, clusters).
     *
     * @throws IllegalArgumentException if the id is not one of this generator's items
     */
    public int clusterOf(String itemId) {
        return itemIndex(itemId) % clusters;
    }

    /**
     * The clusters a user likes, ascending.
     *
     * @throws IllegalArgumentException if the id is not one of this generator's users
     */
    public List<Integer> tasteClusters(String userId) {
        int u = index(userId, 'u', users, "user");
        return Arrays.stream(tastes[u]).sorted().boxed().toList();
    }

    /** The popularity weight (rank + 1)^-s of an item within its cluster, in (0, 1]. */
    public double popularityWeight(String itemId) {
        return Math.pow(itemIndex(itemId) / clusters + 1, -popularitySkew);
    }

    /**
     * All users' events, sorted by time. The same settings give the same list, call after call.
     *
     * @return users * eventsPerUser events
     */
    public List<EventRow> generate() {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] weight = new double[items];
        for (int j = 0; j < items; j++) {
            weight[j] = Math.pow(j / clusters + 1, -popularitySkew);
        }
        List<Map<String, String>> attributes = new ArrayList<>(clusters);
        for (int c = 0; c < clusters; c++) {
            attributes.add(clusterAttributes ? Map.of("cluster", "c" + c) : Map.of());
        }
        String[] ids = itemIds().toArray(String[]::new);
        boolean[] seen = new boolean[items];
        int[] picked = new int[eventsPerUser];
        List<EventRow> rows = new ArrayList<>(users * eventsPerUser);
        for (int u = 0; u < users; u++) {
            String user = userId(u);
            long t = startMillis + (long) (rng.nextDouble() * eventsPerUser * meanGapMillis);
            for (int e = 0; e < eventsPerUser; e++) {
                int j = -1;
                if (rng.nextDouble() >= noiseProbability) {
                    j = fromTaste(tastes[u], weight, seen, rng);
                }
                if (j < 0) {
                    j = uniformUnseen(seen, rng);
                }
                seen[j] = true;
                picked[e] = j;
                rows.add(new EventRow(user, ids[j], EVENT_TYPE, t, null, attributes.get(j % clusters)));
                t += 1 + (long) (-meanGapMillis * Math.log(1 - rng.nextDouble()));
            }
            for (int e = 0; e < eventsPerUser; e++) {
                seen[picked[e]] = false;
            }
        }
        return EventFileReader.sortedByTime(rows.stream());
    }

    /** An unseen item of a uniformly chosen taste cluster that has one, by popularity; -1 if none has. */
    private int fromTaste(int[] taste, double[] weight, boolean[] seen, SplittableRandom rng) {
        int[] open = new int[taste.length];
        int nOpen = 0;
        for (int c : taste) {
            for (int j = c; j < items; j += clusters) {
                if (!seen[j]) {
                    open[nOpen++] = c;
                    break;
                }
            }
        }
        if (nOpen == 0) {
            return -1;
        }
        int c = open[rng.nextInt(nOpen)];
        double total = 0;
        for (int j = c; j < items; j += clusters) {
            if (!seen[j]) {
                total += weight[j];
            }
        }
        double x = rng.nextDouble() * total;
        int last = -1;
        for (int j = c; j < items; j += clusters) {
            if (!seen[j]) {
                last = j;
                x -= weight[j];
                if (x < 0) {
                    return j;
                }
            }
        }
        return last; // rounding
    }

    /** A uniformly drawn unseen item (one exists: eventsPerUser <= items). */
    private int uniformUnseen(boolean[] seen, SplittableRandom rng) {
        while (true) {
            int j = rng.nextInt(items);
            if (!seen[j]) {
                return j;
            }
        }
    }

    private int[][] drawTastes() {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] all = new int[clusters];
        int[][] out = new int[users][];
        for (int u = 0; u < users; u++) {
            for (int c = 0; c < clusters; c++) {
                all[c] = c;
            }
            int n = minTasteClusters + rng.nextInt(maxTasteClusters - minTasteClusters + 1);
            for (int i = 0; i < n; i++) { // partial Fisher-Yates: n distinct clusters
                int k = i + rng.nextInt(clusters - i);
                int tmp = all[i];
                all[i] = all[k];
                all[k] = tmp;
            }
            out[u] = Arrays.copyOf(all, n);
        }
        return out;
    }

    private int itemIndex(String itemId) {
        return index(itemId, 'i', items, "item");
    }

    private static int index(String id, char prefix, int n, String what) {
        if (id != null && id.length() > 1 && id.length() <= 11 && id.charAt(0) == prefix) {
            try {
                int k = Integer.parseInt(id.substring(1));
                if (k >= 0 && k < n && id.equals(String.valueOf(prefix) + k)) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new IllegalArgumentException("not a synthetic " + what + " id: " + id);
    }

    @Override
    public String toString() {
        return "SyntheticEvents{users=" + users + ", items=" + items + ", clusters=" + clusters
                + ", eventsPerUser=" + eventsPerUser + ", tasteClusters=" + minTasteClusters + ".." + maxTasteClusters
                + ", noiseProbability=" + noiseProbability + ", popularitySkew=" + popularitySkew
                + ", seed=" + seed + ", clusterAttributes=" + clusterAttributes + "}";
    }

    /** Builds {@link SyntheticEvents}; each setter rejects a bad value at once, {@link #build} the combinations. */
    public static final class Builder {
        /** The most events one generator makes, to keep {@link #generate()} in memory. */
        static final long MAX_EVENTS = 50_000_000L;

        private int users = 500;
        private int items = 1000;
        private int clusters = 20;
        private int eventsPerUser = 30;
        private int minTasteClusters = 1;
        private int maxTasteClusters = 2;
        private double noiseProbability = 0.1;
        private double popularitySkew = 1.0;
        private long seed = 0;
        private long startMillis = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
        private long meanGapMillis = 60_000;
        private boolean clusterAttributes = false;

        private Builder() {}

        /** Users, >= 1. Default 500. */
        public Builder users(int v) {
            this.users = atLeast("users", v, 1);
            return this;
        }

        /** Items, >= clusters and >= eventsPerUser. Default 1000. */
        public Builder items(int v) {
            this.items = atLeast("items", v, 1);
            return this;
        }

        /** Clusters, >= 1. Default 20. */
        public Builder clusters(int v) {
            this.clusters = atLeast("clusters", v, 1);
            return this;
        }

        /** Events of each user, >= 2 (a history and a next item), <= items. Default 30. */
        public Builder eventsPerUser(int v) {
            this.eventsPerUser = atLeast("eventsPerUser", v, 2);
            return this;
        }

        /** Fewest clusters a user likes, >= 1. Default 1. */
        public Builder minTasteClusters(int v) {
            this.minTasteClusters = atLeast("minTasteClusters", v, 1);
            return this;
        }

        /** Most clusters a user likes, >= minTasteClusters and <= clusters. Default 2. */
        public Builder maxTasteClusters(int v) {
            this.maxTasteClusters = atLeast("maxTasteClusters", v, 1);
            return this;
        }

        /** Chance that an event is a uniformly random item, in [0, 1]. Default 0.1. */
        public Builder noiseProbability(double v) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("noiseProbability must be in [0, 1], got " + v);
            }
            this.noiseProbability = v;
            return this;
        }

        /** Zipf exponent s of popularity within a cluster, finite and >= 0 (0: all equal). Default 1. */
        public Builder popularitySkew(double v) {
            if (!(v >= 0 && Double.isFinite(v))) {
                throw new IllegalArgumentException("popularitySkew must be finite and >= 0, got " + v);
            }
            this.popularitySkew = v;
            return this;
        }

        /** Seed of every random choice. Default 0. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** Earliest start of a user, epoch ms, >= 0. Default 2024-01-01T00:00:00Z. */
        public Builder startMillis(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("startMillis must be >= 0, got " + v);
            }
            this.startMillis = v;
            return this;
        }

        /** Mean gap between two events of a user, ms, in [1, 1 day]. Default 60000. */
        public Builder meanGapMillis(long v) {
            if (v < 1 || v > 86_400_000L) {
                throw new IllegalArgumentException("meanGapMillis must be in [1, 86400000], got " + v);
            }
            this.meanGapMillis = v;
            return this;
        }

        /** Whether events carry {"cluster": "c<k>"}. Default false: the model must find clusters itself. */
        public Builder clusterAttributes(boolean v) {
            this.clusterAttributes = v;
            return this;
        }

        public SyntheticEvents build() {
            if (clusters > items) {
                throw new IllegalArgumentException("clusters must be <= items, got " + clusters + " > " + items);
            }
            if (eventsPerUser > items) {
                throw new IllegalArgumentException("eventsPerUser must be <= items (no item twice per user), got "
                        + eventsPerUser + " > " + items);
            }
            if (minTasteClusters > maxTasteClusters) {
                throw new IllegalArgumentException("minTasteClusters must be <= maxTasteClusters, got "
                        + minTasteClusters + " > " + maxTasteClusters);
            }
            if (maxTasteClusters > clusters) {
                throw new IllegalArgumentException("maxTasteClusters must be <= clusters, got "
                        + maxTasteClusters + " > " + clusters);
            }
            if ((long) users * eventsPerUser > MAX_EVENTS) {
                throw new IllegalArgumentException("users * eventsPerUser must be <= " + MAX_EVENTS + ", got "
                        + (long) users * eventsPerUser);
            }
            return new SyntheticEvents(this);
        }

        private static int atLeast(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
            }
            return v;
        }
    }
}
