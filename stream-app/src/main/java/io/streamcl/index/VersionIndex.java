package io.streamcl.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The embeddings of one kind made by one model version, in memory, searched by cosine through Lucene's HNSW
 * graphs. One version per index is what keeps versions from mixing: an index never holds a vector of another.
 *
 * <p>Why Lucene's index (IndexWriter and {@link KnnFloatVectorQuery}) rather than its {@code HnswGraphBuilder}
 * alone: an id is re-embedded and removed as the feed moves, partitions come and go with a rebalance, and
 * searches run while the feed writes. The index does updates, deletes, filters (the items a user has seen) and
 * searches beside a writer; a bare graph does none of those. The price is a graph per segment, merged in the
 * background.
 *
 * <p>Writes become visible to searches at {@link #refresh}. Thread-safe.
 */
public final class VersionIndex implements AutoCloseable {
    /**
     * How many candidates each search keeps while it walks the graph (HNSW's ef): the k asked for is cut from
     * them. At 100, recall@10 against exact cosine is above 0.95 on the unit test's and the bench's vectors;
     * at 10 (Lucene's ef = k) it is well below.
     */
    public static final int CANDIDATES = 100;
    /** Neighbours per node in the graph (HNSW's M), Lucene's default. */
    public static final int MAX_CONNECTIONS = 16;
    /**
     * Candidates kept while a vector is inserted (the beam at build). Lucene's default, 100, builds 30,000 vectors
     * of 256 dimensions in 42 s on this machine's Java 17 (no SIMD for Lucene there); 50 takes 18 s, and recall@10
     * stays above 0.99 in {@code bench --sections neighbours}, because each search still keeps {@link #CANDIDATES}.
     * Every served version is a new index of the whole catalogue, so the build is what a swap waits for.
     */
    public static final int BUILD_BEAM = 50;
    private static final String ID = "id";
    private static final String PARTITION = "partition";
    private static final String VECTOR = "vector";

    private final long version;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile int dimension; // 0 until the first vector fixes it
    private volatile String model = "";

    public VersionIndex(long version) {
        this.version = version;
        try {
            IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(64)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setCodec(new Lucene912Codec() {
                        @Override
                        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                            return new Lucene99HnswVectorsFormat(MAX_CONNECTIONS, BUILD_BEAM);
                        }
                    });
            writer = new IndexWriter(directory, config);
            searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long version() {
        return version;
    }

    /** The model that made the vectors (e.g. {@code event-moco}); empty until the first. */
    public String model() {
        return model;
    }

    /** The vectors' dimension; 0 while the index is empty. */
    public int dimension() {
        return dimension;
    }

    /**
     * Adds the id's vector, or replaces it.
     *
     * @param partition where the id lives, so that a partition that moves away can be dropped whole
     * @throws IllegalArgumentException for a vector of another dimension than the index's, or one that is zero or
     *     not finite (it has no direction to compare)
     */
    public synchronized void put(String id, int partition, String model, float[] vector) {
        float[] unit = Vectors.unit(vector);
        if (dimension == 0) {
            dimension = vector.length;
            this.model = model;
        } else if (vector.length != dimension) {
            throw new IllegalArgumentException("a vector of " + vector.length + " numbers in an index of " + dimension);
        }
        Document doc = new Document();
        doc.add(new StringField(ID, id, Field.Store.YES));
        doc.add(new StringField(PARTITION, Integer.toString(partition), Field.Store.NO));
        // the vectors are unit already: their dot product is the cosine, without its two norms per comparison
        doc.add(new KnnFloatVectorField(VECTOR, unit, VectorSimilarityFunction.DOT_PRODUCT));
        try {
            writer.updateDocument(new Term(ID, id), doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void remove(String id) {
        delete(new TermQuery(new Term(ID, id)));
    }

    /** Drops every id of a partition (it moved to another instance). */
    public void removePartition(int partition) {
        delete(new TermQuery(new Term(PARTITION, Integer.toString(partition))));
    }

    private void delete(Query query) {
        try {
            writer.deleteDocuments(query);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the writes so far visible to searches. */
    public void refresh() {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many segments a search reads: each is a graph of its own. */
    int segments() {
        return withSearcher(s -> s.getIndexReader().leaves().size());
    }

    /** How many ids a search sees. */
    public int size() {
        return withSearcher(s -> s.getIndexReader().numDocs());
    }

    /** The id's vector, unit length, as a search sees it. */
    public Optional<float[]> vector(String id) {
        return withSearcher(s -> {
            TopDocs hit = s.search(new TermQuery(new Term(ID, id)), 1);
            if (hit.scoreDocs.length == 0) {
                return Optional.empty();
            }
            int doc = hit.scoreDocs[0].doc;
            List<LeafReaderContext> leaves = s.getIndexReader().leaves();
            LeafReaderContext leaf = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
            FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
            if (values == null || values.advance(doc - leaf.docBase) != doc - leaf.docBase) {
                return Optional.empty();
            }
            return Optional.of(values.vectorValue().clone());
        });
    }

    /**
     * The k ids nearest to the query by cosine, nearest first; those in {@code exclude} are never among them.
     *
     * @throws IllegalArgumentException for a query of another dimension, zero or not finite
     * @throws IllegalStateException when the index was closed (a newer version replaced it) under the search
     */
    public List<Neighbour> nearest(float[] query, int k, Collection<String> exclude) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, not " + k);
        }
        float[] unit = Vectors.unit(query);
        if (dimension == 0) {
            return List.of();
        }
        if (query.length != dimension) {
            throw new IllegalArgumentException("a query of " + query.length + " numbers for vectors of " + dimension);
        }
        Query filter = null;
        if (!exclude.isEmpty()) {
            // one clause whatever the number of ids (a BooleanQuery of TermQuerys stops at 1024)
            filter = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST)
                    .add(new TermInSetQuery(ID, exclude.stream().map(BytesRef::new).toList()),
                            BooleanClause.Occur.MUST_NOT).build();
        }
        Query knn = new KnnFloatVectorQuery(VECTOR, unit, Math.max(k, CANDIDATES), filter);
        return withSearcher(s -> {
            TopDocs top = s.search(knn, k);
            List<Neighbour> found = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc d : top.scoreDocs) {
                String id = s.storedFields().document(d.doc).get(ID);
                // Lucene scores a dot product of unit vectors as (1 + cos) / 2, so that it is never negative
                found.add(new Neighbour(id, 2.0 * d.score - 1.0, version));
            }
            return found;
        });
    }

    private interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return work.apply(s);
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AlreadyClosedException e) {
            throw new IllegalStateException("the index of version " + version + " is closed (replaced by a newer one)", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
