package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;

/** {@code --threads}: read before the engine starts, checked, and accepted by every command. */
class ThreadsTest {

    @Test
    void theValueIsReadInBothForms() {
        assertEquals(Optional.empty(), Main.threads(new String[] {"run", "--limit", "2"}));
        assertEquals(Optional.of(2), Main.threads(new String[] {"run", "--threads", "2"}));
        assertEquals(Optional.of(16), Main.threads(new String[] {"--threads=16", "explain"}));
    }

    @Test
    void aBadValueIsAUsageErrorNamingTheAllowedOnes() {
        for (String bad : new String[] {"0", "-1", "two", "", "99999", "1.5"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Main.threads(new String[] {"run", "--threads", bad}), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a thread count; give a whole number from 1 to 4096"),
                    e.getMessage());
        }
        Cli cli = new Cli();
        assertEquals(ExitCode.USAGE.code(), cli.run("list", "--threads", "0"));
        assertTrue(cli.err.startsWith("vitbench: error: --threads '0' is not a thread count"), cli.err);
    }

    @Test
    void everyCommandTakesIt() {
        Cli cli = new Cli();
        assertEquals(ExitCode.OK.code(), cli.run("list", "--threads", "1"), cli.err);
    }
}
