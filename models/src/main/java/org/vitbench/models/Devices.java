package org.vitbench.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Parameters;

/**
 * The {@code device} parameter of the model providers: {@code cpu} (the default), {@code gpu}
 * (the first CUDA device, {@code gpu:0}) or {@code gpu:N}.
 *
 * <p>A model's weights, its normalisation constants and every batch built from
 * {@code model.manager()} live on the device of that manager, so choosing the device when the
 * model's base manager is created ({@link Checkpoints#load(java.nio.file.Path, Device)}) places the
 * whole computation there. A GPU that the engine cannot see fails at once instead of falling back
 * to the CPU, so a timing labelled GPU is never measured on the CPU.
 */
public final class Devices {

    /** The parameter key. */
    public static final String KEY = "device";

    /** The default value. */
    public static final String CPU = "cpu";

    private static final String ALLOWED = "cpu (the default), gpu (the same as gpu:0) or gpu:N with N a CUDA "
            + "device index from 0";

    private Devices() {
    }

    /**
     * The device named by {@code value}, checked against the GPUs DJL's engine sees.
     *
     * @param value {@code cpu}, {@code gpu} or {@code gpu:N}
     * @throws ConfigurationException naming the value and the allowed forms, or saying that no CUDA
     *     device {@code N} is visible
     */
    public static Device parse(String value) {
        Device device = syntax(value);
        return device.isGpu() ? visible(value, device, Engine.getInstance().getGpuCount()) : device;
    }

    /** The {@value #KEY} parameter of a model provider, {@value #CPU} when absent. */
    public static Device of(Parameters parameters) {
        return parse(parameters.getString(KEY, CPU));
    }

    /** The {@value #KEY} value that names {@code device}: {@code cpu} or {@code gpu:N}; the inverse of {@link #parse}. */
    public static String format(Device device) {
        if (device.isGpu()) {
            return "gpu:" + device.getDeviceId();
        }
        if (device.equals(Device.cpu())) {
            return CPU;
        }
        throw new ConfigurationException("device " + device + " has no name in the " + KEY + " parameter; "
                + "allowed: " + ALLOWED);
    }

    /** As {@link #parse(String)} with the number of visible GPUs given, for tests. */
    static Device parse(String value, int visibleGpus) {
        Device device = syntax(value);
        return device.isGpu() ? visible(value, device, visibleGpus) : device;
    }

    private static Device syntax(String value) {
        if (value == null) {
            throw new ConfigurationException("no device given; allowed: " + ALLOWED);
        }
        if (value.equals("cpu")) {
            return Device.cpu();
        }
        if (value.equals("gpu")) {
            return Device.gpu(0);
        }
        // Digits only: no sign, no spaces, no leading '+', so "gpu:-1" and "gpu: 1" fail.
        if (value.startsWith("gpu:") && value.length() > 4 && value.length() <= 12
                && value.substring(4).chars().allMatch(c -> c >= '0' && c <= '9')) {
            long index = Long.parseLong(value.substring(4));
            if (index <= Integer.MAX_VALUE) {
                return Device.gpu((int) index);
            }
        }
        throw new ConfigurationException("invalid device '" + value + "'; allowed: " + ALLOWED);
    }

    private static Device visible(String value, Device device, int visibleGpus) {
        int index = device.getDeviceId();
        if (index < visibleGpus) {
            return device;
        }
        throw new ConfigurationException("device '" + value + "' asks for CUDA device " + index + ", but no CUDA "
                + "device " + index + " is visible: the PyTorch engine sees " + visibleGpus + " GPU"
                + (visibleGpus == 1 ? "" : "s") + (visibleGpus == 0 ? " (no NVIDIA driver, CUDA_VISIBLE_DEVICES "
                + "hides them, or the PyTorch native library is the CPU build; see the README on running with "
                + "CUDA)" : "") + ". To run on the CPU, leave the device out or pass device=cpu, for example "
                + "--model embedded:device=cpu");
    }
}
