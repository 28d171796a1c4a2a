package org.vitbench.models;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs test code with PyTorch's gradient recording switched on for the calling thread, and off
 * again afterwards (the engine thread's state): a forward then keeps its intermediates and
 * attention masking runs the full masked sequence.
 */
public final class RecordingGradients {

    private RecordingGradients() {
    }

    public static <T> T during(Supplier<T> body) {
        JniUtils.setGradMode(true);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(false);
        }
    }
}
