package org.vitbench.api.contract;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.vitbench.api.Gradients;

/**
 * Forces what otherwise happens by chance between a forward and a backward pass: a garbage
 * collection that frees every JVM direct buffer nobody references any more, then allocation of
 * small direct buffers filled with {@code 0x7f} bytes (each float read from them is 3.4e38), so that
 * freed memory is reused at once. A backward pass that reads a freed buffer then sees garbage on
 * every call instead of in about 1 % of them.
 *
 * <p>Use it as the hook of {@link Gradients#withBeforeBackward}; {@link #calls()} tells how many
 * backward passes it preceded.
 */
public final class GcStress implements Runnable {

    private static final int BUFFERS = 2000;
    private int calls;

    @Override
    public void run() {
        calls++;
        collect();
        List<ByteBuffer> pressure = new ArrayList<>(BUFFERS);
        for (int i = 0; i < BUFFERS; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 16) * 4); // the sizes of small constants
            while (b.hasRemaining()) {
                b.put((byte) 0x7f);
            }
            pressure.add(b);
        }
        pressure.clear(); // released by a later collection
    }

    /** How many times the hook ran. */
    public int calls() {
        return calls;
    }

    /** A full collection, finished when a fresh weak reference is cleared, and time for cleaners to free memory. */
    static void collect() {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        while (sentinel.get() != null) {
            System.gc();
        }
        try {
            Thread.sleep(2); // the reference handler thread frees direct buffers after the collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the collector", e);
        }
    }
}
