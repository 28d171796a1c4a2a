package org.vitbench.methods.cam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared explainer contract for {@link Cdam} in concept mode, with two grey concept PNGs. */
class CdamConceptOnTinyVitTest extends TinyVitExplainerContract {

    private static final Path CONCEPTS = createConcepts();

    private static Path createConcepts() {
        try {
            Path dir = Files.createTempDirectory("vitbench-cdam-concepts");
            dir.toFile().deleteOnExit();
            for (int i = 0; i < 2; i++) {
                Path file = CdamTest.writeGreyPng(dir.resolve("concept-" + i + ".png"), 12, 100 + i);
                file.toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Explainer explainer() {
        return Cdam.concept(CONCEPTS);
    }
}
