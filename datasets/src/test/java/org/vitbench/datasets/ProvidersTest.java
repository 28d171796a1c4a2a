package org.vitbench.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Registry;
import org.vitbench.datasets.embedded.EmbeddedSubsetProvider;
import org.vitbench.datasets.fashionmnist.FashionMnistProvider;
import org.vitbench.datasets.folder.ImageFolderProvider;

class ProvidersTest {

    @Test
    void serviceLoaderFindsTheFourProviders() {
        Registry registry = Registry.load();
        assertEquals(List.of("fashion-mnist", "fashion-mnist-canvas", "fashion-mnist-embedded", "image-folder"),
                List.copyOf(registry.datasets().keySet()));
        assertEquals(FashionMnistProvider.class, registry.dataset("fashion-mnist").getClass());
        assertEquals(EmbeddedSubsetProvider.class, registry.dataset("fashion-mnist-embedded").getClass());
        assertEquals(ImageFolderProvider.class, registry.dataset("image-folder").getClass());
    }
}
