package org.vitbench.metrics.faithfulness;

import java.util.Map;
import org.vitbench.api.Direction;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;

/**
 * Insertion: start from the image with every patch held out, add patches from most to least
 * important according to the heatmap and follow the model's confidence in the class; a faithful
 * map makes it rise fast, so a higher area is better (Petsiuk, Das &amp; Saenko 2018, RISE, arXiv
 * 1806.07421).
 *
 * <p>Presets, described in full in {@link PerturbationCurve}:
 * <ul>
 *   <li>{@code vit-shapley} (default; Covert, Kim &amp; Lee 2023, arXiv 2206.05282): removal
 *       {@code attention-mask} on {@code context.model()} (for that protocol, the surrogate), so
 *       the first point sees the CLS token only; softmax probability; one patch per step,
 *       {@code P + 1} points at {@code x = k / P} patches inserted; score = the plain mean of the
 *       curve; {@code classes} = {@code target} (default) or {@code non-target}.
 *   <li>{@code rise} (eclique/RISE): removal {@code pixel-blur} (vitbench's blur has sigma = patch
 *       size; RISE blurs with kernel 11, sigma 5 at 224 pixels); softmax probability; one patch per
 *       step; trapezoid area on [0, 1].
 *   <li>{@code chefer} (Chefer, Gur &amp; Wolf 2021, arXiv 2012.09838, negative perturbation):
 *       removal {@code pixel-zero}; 0, 10, ..., 90% of the patches removed, least relevant first,
 *       which is insertion read backwards, so the curve's x is the fraction removed; top-1 hit
 *       against {@code reference} ({@code label} or {@code prediction}); trapezoid area on
 *       [0, 0.9]. Only {@code order=negative}: positive perturbation is lower-is-better and is
 *       {@link Deletion} with preset {@code chefer}.
 * </ul>
 *
 * <p>Parameters: {@code preset}; {@code removal}, any {@link Removal#parse} value (default per
 * preset); {@code classes} (vit-shapley only); {@code order} and {@code reference} (chefer only);
 * {@code batchSize} (default 64), which changes memory use but not scores and is not in the
 * {@link #spec()}.
 *
 * <p>Ties in the heatmap are broken at random by a generator seeded with
 * {@code Seeds.of(runSeed, sampleId, "insertion")}. With {@code classes=non-target} the metric
 * requires {@link Requirement#ALL_CLASSES} and costs {@code K - 1} curves per sample. A heatmap with
 * a NaN or infinite value fails the batch with the sample named. Instances are immutable and
 * thread-safe if the model is.
 */
public final class Insertion extends CurveMetric {

    /** The stable id. */
    public static final String ID = "insertion";

    /** The ViT Shapley preset. */
    public static final String VIT_SHAPLEY = PerturbationCurve.VIT_SHAPLEY;

    /** The RISE preset. */
    public static final String RISE = PerturbationCurve.RISE;

    /** Chefer et al.'s negative perturbation. */
    public static final String CHEFER = PerturbationCurve.CHEFER;

    /** Masked images per model call unless configured. */
    public static final int DEFAULT_BATCH_SIZE = PerturbationCurve.DEFAULT_BATCH_SIZE;

    private static final String NAME = "Insertion";

    private static final Direction DIRECTION = Direction.HIGHER_IS_BETTER;

    private static final MetricInfo INFO = info(ID, NAME, DIRECTION, false);

    /** The registration: parameters, presets and factory. */
    public static final MetricDeclaration DECLARATION = PerturbationCurve.declaration(INFO,
            PerturbationCurve.Kind.INSERTION, Insertion::new);

    /**
     * The {@code vit-shapley} preset on the target class.
     *
     * @param removal how patches not yet inserted are held out
     * @param batchSize masked images per model call, at least 1
     */
    public Insertion(Removal removal, int batchSize) {
        this(new PerturbationCurve(ID, PerturbationCurve.Kind.INSERTION, DECLARATION.resolve(Map.of("removal", removal.id(),
                "batchSize", Integer.toString(batchSize)))));
    }

    /** The {@code vit-shapley} preset with attention masking and the default batch size. */
    public Insertion() {
        this(new PerturbationCurve(ID, PerturbationCurve.Kind.INSERTION, DECLARATION.resolve(Map.of())));
    }

    private Insertion(PerturbationCurve curve) {
        super(curve, NAME, DIRECTION);
    }

    /** Creates the metric from validated parameters; unknown or inapplicable keys fail. */
    public static Insertion create(Parameters parameters) {
        return (Insertion) DECLARATION.create(parameters);
    }
}
