package org.vitbench.models;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The engine's gradient-recording switch for the calling thread. PyTorch keeps it per thread:
 * the thread that starts the engine has it off, every new thread starts with PyTorch's default,
 * on. A thread that runs plug-ins calls {@link #offInThisThread} first, so that it computes
 * exactly as the engine's own thread would; {@code Gradients.compute} turns recording on inside
 * its body and back off afterwards.
 */
public final class GradMode {

    private GradMode() {
    }

    /** Turns gradient recording off for the calling thread (a no-op on engines without the switch). */
    public static void offInThisThread() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }

    /** Whether the calling thread records gradients (false on engines without the switch). */
    public static boolean isOn() {
        return "PyTorch".equals(Engine.getInstance().getEngineName()) && JniUtils.isGradMode();
    }
}
