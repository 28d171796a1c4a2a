package org.vitbench.datasets.embedded;

import java.util.Set;
import org.vitbench.api.Dataset;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;
import org.vitbench.datasets.fashionmnist.FashionMnist;
import org.vitbench.datasets.idx.IdxDataset;

/**
 * Provides {@code fashion-mnist-embedded}: the {@link EmbeddedSubset} shipped in this jar, 1,000
 * Fashion-MNIST test images ({@code 1 x 28 x 28}, {@code pixel / 255f}) with the sample ids of the
 * full test split ({@code fashion-mnist/test/<test-set index>}), so scores compare with runs on
 * {@code fashion-mnist}.
 *
 * <p>Parameter {@code limit} (1 to 1000, default 1000) keeps the first {@code limit} samples. Samples
 * are class-interleaved (sample {@code k} has class {@code k % 10}), so a prefix of {@code 10 m}
 * samples holds {@code m} per class and any prefix is balanced to within one sample per class.
 */
public final class EmbeddedSubsetProvider implements DatasetProvider {

    /** The provider id. */
    public static final String ID = "fashion-mnist-embedded";

    @Override
    public ProviderInfo info() {
        return new ProviderInfo(ID, "Fashion-MNIST embedded subset", "1,000 Fashion-MNIST test images shipped in the"
                + " jar (first 100 per class, class-interleaved; ids as in fashion-mnist/test); parameter: limit"
                + " (1 to " + EmbeddedSubset.SIZE + ", default " + EmbeddedSubset.SIZE + ", a class-balanced prefix)");
    }

    @Override
    public Dataset open(Parameters parameters) {
        parameters.requireOnly(Set.of("limit"));
        int limit = parameters.getInt("limit", EmbeddedSubset.SIZE, 1, EmbeddedSubset.SIZE);
        EmbeddedSubset subset = EmbeddedSubset.load();
        return new IdxDataset(ID + "/test", FashionMnist.CLASS_NAMES, limit, subset::sampleId, subset::data);
    }
}
