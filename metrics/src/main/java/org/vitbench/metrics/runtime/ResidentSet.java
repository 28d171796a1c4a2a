package org.vitbench.metrics.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * The process's resident memory from Linux's {@code /proc/self/status}: {@code VmRSS} (now) and
 * {@code VmHWM} (the peak since the process started). Both count every resident page of the
 * process, native tensors and touched JVM heap alike. Elsewhere, or when the file cannot be read,
 * every value is empty.
 */
final class ResidentSet {

    private static final Path STATUS = Path.of("/proc/self/status");

    /** Resident bytes now and the process's peak so far; either may be empty. */
    record Sample(OptionalLong residentBytes, OptionalLong highWaterMarkBytes) {

        static final Sample UNAVAILABLE = new Sample(OptionalLong.empty(), OptionalLong.empty());
    }

    private ResidentSet() {
    }

    /** Reads {@code /proc/self/status}; {@link Sample#UNAVAILABLE} when it cannot. */
    static Sample read() {
        if (!Files.isReadable(STATUS)) {
            return Sample.UNAVAILABLE;
        }
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException | RuntimeException e) {
            // The figure is optional: a kernel without these fields must not fail the timing.
            return Sample.UNAVAILABLE;
        }
    }

    /** The {@code VmRSS} and {@code VmHWM} lines of a status file, in bytes. */
    static Sample parse(List<String> lines) {
        return new Sample(field(lines, "VmRSS:"), field(lines, "VmHWM:"));
    }

    /** A line such as {@code VmRSS:\t  123456 kB}; the kernel writes kB = 1024 bytes. */
    private static OptionalLong field(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) {
                    try {
                        return OptionalLong.of(Long.parseLong(parts[0]) * 1024L);
                    } catch (NumberFormatException e) {
                        return OptionalLong.empty();
                    }
                }
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
