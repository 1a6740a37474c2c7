package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.streamcl.schema.serde.LittleEndianFloats;
import io.streamcl.schema.state.MemoryBankState;
import java.util.Arrays;

/**
 * FIFO ring of up to {@code capacity} negative keys (the MoCo queue), each with the id of the item
 * it was computed from, so that a query is never contrasted with a key of its own item.
 *
 * <p>The bank starts empty and fills slots 0, 1, 2, ... in order; once full, each enqueued key
 * overwrites the oldest one. Hence while {@code size() < capacity()} the filled slots are exactly
 * {@code [0, size())} and {@code nextSlot() == size()}; once full, all slots are filled and
 * {@code nextSlot()} is the oldest entry. Rows of {@link #keys}, columns of {@link #isSelf} and
 * entries of {@link #ids} are all in slot order.
 *
 * <p>Memory: keys (capacity, D) float and ids (capacity) int64 live natively in a sub-manager of
 * the parent that this bank owns and closes. Per step, only the B new ids cross from the host;
 * the keys are copied natively and the id comparison of {@link #isSelf} runs natively. Every
 * temporary is freed; arrays handed out belong to the caller's manager. Not thread-safe.
 */
public final class MemoryBank implements AutoCloseable {

    private final NDManager manager;
    private final int capacity;
    private final int dim;
    private final NDArray keys; // (capacity, D) float32, null if capacity == 0
    private final NDArray ids; // (capacity) int64, null if capacity == 0
    private final long[] hostIds; // mirror of ids, for ids() and snapshots
    private int size;
    private int next;
    private boolean closed;

    /**
     * @param parent manager whose device the bank uses; the bank creates and owns a sub-manager
     * @param capacity K >= 0, the number of keys kept; 0 means no bank
     * @param dim D >= 1, the key dimension
     * @throws IllegalArgumentException if capacity < 0 or dim < 1
     */
    public MemoryBank(NDManager parent, int capacity, int dim) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        }
        this.capacity = capacity;
        this.dim = dim;
        this.hostIds = new long[capacity];
        this.manager = parent.newSubManager();
        this.manager.setName("memory-bank");
        if (capacity > 0) {
            this.keys = manager.zeros(new Shape(capacity, dim), DataType.FLOAT32);
            this.ids = manager.zeros(new Shape(capacity), DataType.INT64);
        } else {
            this.keys = null;
            this.ids = null;
        }
    }

    /** K, the most keys the bank holds. */
    public int capacity() {
        return capacity;
    }

    /** D, the key dimension. */
    public int dim() {
        return dim;
    }

    /** How many slots are filled, in [0, capacity]. */
    public int size() {
        return size;
    }

    /** The slot the next enqueued key goes to (the oldest entry once the bank is full). */
    public int nextSlot() {
        return next;
    }

    /**
     * Appends keys in ring order, overwriting the oldest entries once full. With B > capacity only
     * the newest capacity rows are kept, in the slots they would reach had they been enqueued one
     * by one. A no-op when capacity is 0.
     *
     * @param batchKeys (B, D) float keys, normally detached (a key that still requires a gradient is
     *     detached here, so the bank never joins an autograd graph); the caller keeps ownership
     * @param itemIds (B) id of the item each key row came from
     */
    public void enqueue(NDArray batchKeys, long[] itemIds) {
        checkOpen();
        Shape s = batchKeys.getShape();
        if (s.dimension() != 2 || s.get(1) != dim) {
            throw new IllegalArgumentException("keys must be (B, " + dim + "), got " + s);
        }
        if (itemIds.length != s.get(0)) {
            throw new IllegalArgumentException(
                    "itemIds must have one id per key row (" + s.get(0) + "), got " + itemIds.length);
        }
        int b = itemIds.length;
        if (capacity == 0 || b == 0) {
            return;
        }
        int skip = Math.max(0, b - capacity); // rows that would be overwritten within this batch
        int start = (int) ((next + (long) skip) % capacity); // slot of the first kept row
        int count = b - skip; // rows kept, <= capacity
        try (NDScope scope = new NDScope()) { // frees every temporary, in any manager
            scope.suppressNotUsedWarning();
            NDArray src = batchKeys.stopGradient(); // (B, D) detached view
            NDArray srcIds = batchKeys.getManager().create(Arrays.copyOfRange(itemIds, skip, b)); // (count)
            int first = Math.min(count, capacity - start); // rows before the ring wraps
            writeRows(start, src, skip, srcIds, 0, first);
            if (first < count) {
                writeRows(0, src, skip + first, srcIds, first, count - first);
            }
        }
        for (int i = 0; i < count; i++) {
            hostIds[(start + i) % capacity] = itemIds[skip + i];
        }
        next = (int) ((next + (long) b) % capacity);
        size = Math.min(capacity, size + b);
    }

    /** The bank's contents (its filled slots and ring position), for a trainer checkpoint. */
    public MemoryBankState save() {
        return new MemoryBankState(capacity, dim, LittleEndianFloats.toBytes(keysRowMajor()),
                Arrays.stream(ids()).boxed().toList(), next);
    }

    /**
     * Replaces the contents with what {@link #save} returned.
     *
     * @throws IllegalArgumentException if it was saved by a bank of another capacity or dim, or is not a valid
     *     state
     */
    public void restore(MemoryBankState saved) {
        if (saved.getCapacity() != capacity || saved.getDim() != dim) {
            throw new IllegalArgumentException("bank saved with capacity " + saved.getCapacity() + " and dim "
                    + saved.getDim() + ", this one has " + capacity + " and " + dim);
        }
        restore(LittleEndianFloats.fromBytes(saved.getKeys()),
                saved.getIds().stream().mapToLong(Long::longValue).toArray(), saved.getNextSlot());
    }

    /** Copies rows [srcRow, srcRow + n) of src and entries [idRow, idRow + n) of srcIds to slots [slot, slot + n). */
    private void writeRows(int slot, NDArray src, int srcRow, NDArray srcIds, int idRow, int n) {
        keys.set(new NDIndex("{}:{}", slot, slot + n), src.get(new NDIndex("{}:{}", srcRow, srcRow + n)));
        ids.set(new NDIndex("{}:{}", slot, slot + n), srcIds.get(new NDIndex("{}:{}", idRow, idRow + n)));
    }

    /**
     * The filled keys, as a native copy in the caller's manager (later enqueues do not change it,
     * and it may take part in a graph whose backward runs after the next enqueue).
     *
     * @param into the step's manager, on the bank's device; owns the result
     * @return (size, D) float, row j = slot j
     */
    public NDArray keys(NDManager into) {
        checkOpen();
        checkDevice(into);
        if (size == 0) {
            return into.zeros(new Shape(0, dim), DataType.FLOAT32);
        }
        NDArray view = keys.get(into, new NDIndex(":{}", size)); // (size, D), shares the bank's storage
        NDArray copy = view.duplicate(); // (size, D)
        view.close();
        return copy;
    }

    /**
     * Which bank entries are keys of each query's own item, computed natively.
     *
     * @param batchIds (B) item id of each query row
     * @param into the step's manager, on the bank's device; owns the result
     * @return (B, size) boolean, true at (i, j) iff slot j holds a key of item batchIds[i]
     */
    public NDArray isSelf(long[] batchIds, NDManager into) {
        checkOpen();
        checkDevice(into);
        int b = batchIds.length;
        if (size == 0) {
            return into.zeros(new Shape(b, 0), DataType.BOOLEAN);
        }
        NDArray query = into.create(batchIds, new Shape(b, 1)); // (B, 1)
        NDArray bankIds = ids.get(into, new NDIndex(":{}", size)); // (size), view
        NDArray row = bankIds.reshape(1, size); // (1, size)
        NDArray result = query.eq(row); // (B, size) by broadcasting
        row.close();
        bankIds.close();
        query.close();
        return result;
    }

    /** Item ids of the filled slots, in slot order (a copy). */
    public long[] ids() {
        checkOpen();
        return Arrays.copyOf(hostIds, size);
    }

    /** The filled keys as a row-major (size × D) host array, for snapshots (copies from native). */
    public float[] keysRowMajor() {
        checkOpen();
        if (size == 0) {
            return new float[0];
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return keys.get(new NDIndex(":{}", size)).toFloatArray();
        }
    }

    /**
     * Restores a state saved with {@link #keysRowMajor()}, {@link #ids()} and {@link #nextSlot()}.
     *
     * @param keysRowMajor (n × D) row-major keys of slots [0, n)
     * @param itemIds (n) ids of slots [0, n), n <= capacity
     * @param nextSlot the saved next slot: n itself when n < capacity, anything in [0, capacity)
     *     when the bank was full
     * @throws IllegalArgumentException if the lengths or nextSlot do not describe a valid state
     */
    public void restore(float[] keysRowMajor, long[] itemIds, int nextSlot) {
        checkOpen();
        int n = itemIds.length;
        if (n > capacity) {
            throw new IllegalArgumentException("ids must have at most capacity (" + capacity + ") entries, got " + n);
        }
        if (keysRowMajor.length != (long) n * dim) {
            throw new IllegalArgumentException(
                    "keysRowMajor must have ids.length * dim = " + (long) n * dim + " floats, got " + keysRowMajor.length);
        }
        boolean valid = n < capacity ? nextSlot == n : nextSlot >= 0 && nextSlot < capacity;
        if (capacity == 0) {
            valid = nextSlot == 0;
        }
        if (!valid) {
            throw new IllegalArgumentException("nextSlot must be " + (n < capacity ? "" + n : "in [0, " + capacity + ")")
                    + " for " + n + " entries in a bank of capacity " + capacity + ", got " + nextSlot);
        }
        if (n > 0) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                keys.set(new NDIndex(":{}", n), manager.create(keysRowMajor, new Shape(n, dim)));
                ids.set(new NDIndex(":{}", n), manager.create(itemIds));
            }
        }
        System.arraycopy(itemIds, 0, hostIds, 0, n);
        size = n;
        next = nextSlot;
    }

    /** Frees the bank's native memory. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    private void checkDevice(NDManager into) {
        if (!into.getDevice().equals(manager.getDevice())) {
            throw new IllegalArgumentException(
                    "into must be on the bank's device " + manager.getDevice() + ", got " + into.getDevice());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("memory bank is closed");
        }
    }
}
