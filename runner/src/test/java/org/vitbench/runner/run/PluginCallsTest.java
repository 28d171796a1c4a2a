package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.models.GradMode;

class PluginCallsTest {

    @Test
    void anOutOfMemoryOfOneCallIsAFailureButAnExhaustedHeapEndsTheRun() {
        try (PluginCalls calls = new PluginCalls(Duration.ofMinutes(1), () -> false)) {
            PluginCalls.Outcome<Object> o = calls.call("huge explaining 1 sample", 1, () -> {
                throw new OutOfMemoryError("Requested array size exceeds VM limit");
            });
            assertEquals("OutOfMemoryError: Requested array size exceeds VM limit", o.failure());
        }
        try (PluginCalls calls = new PluginCalls(Duration.ofMinutes(1), () -> true)) {
            PluginCalls.HeapExhausted e = assertThrows(PluginCalls.HeapExhausted.class,
                    () -> calls.call("greedy explaining 1 sample", 1, () -> {
                        throw new OutOfMemoryError("Java heap space");
                    }));
            assertTrue(e.getMessage().contains("greedy explaining 1 sample ran out of memory")
                    && e.getMessage().contains("rerun the same command to resume"), e.getMessage());
        }
    }

    @Test
    void aPluginsInterruptFlagDoesNotReachTheNextCall() {
        try (PluginCalls calls = new PluginCalls(Duration.ofMinutes(1))) {
            calls.call("first", 1, () -> {
                Thread.currentThread().interrupt();
                return null;
            });
            PluginCalls.Outcome<Boolean> next = calls.call("second", 1, () -> Thread.currentThread().isInterrupted());
            assertNull(next.failure());
            assertFalse(next.value());
            assertFalse(Thread.currentThread().isInterrupted(), "nor the caller");
        }
    }

    @Test
    void pluginsRunWithGradientRecordingOffAsOnTheEnginesOwnThread() {
        try (PluginCalls calls = new PluginCalls(Duration.ofMinutes(1))) {
            assertEquals(Boolean.FALSE, calls.call("probe", 1, GradMode::isOn).value());
        }
        // the premise: a plain new thread starts with recording on
        boolean[] plain = new boolean[1];
        Thread t = new Thread(() -> plain[0] = GradMode.isOn());
        t.start();
        assertDoesNotThrow(() -> t.join());
        assertTrue(plain[0], "PyTorch's per-thread default");
    }

    @Test
    void limitsAreParsedAndPrintedAlike() {
        assertEquals(Duration.ofMinutes(30), PluginCalls.parseLimit("30m", "--timeout"));
        assertEquals(Duration.ofHours(2), PluginCalls.DEFAULT_LIMIT);
        assertEquals("90s", PluginCalls.format(PluginCalls.parseLimit("90s", "--timeout")));
        assertEquals("1d", PluginCalls.format(PluginCalls.parseLimit("24h", "--timeout")));
        for (String bad : new String[] {"0s", "-5m", "30", "h", "1.5h", "99999999999999999999d"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> PluginCalls.parseLimit(bad, "--timeout"));
            assertTrue(e.getMessage().contains("invalid time limit '" + bad + "' for --timeout"), e.getMessage());
        }
    }
}
