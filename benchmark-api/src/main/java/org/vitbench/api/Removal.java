package org.vitbench.api;

/**
 * How a held-out patch is removed when a model is evaluated on a subset of its patches.
 *
 * <ul>
 *   <li>{@link Kind#ATTENTION_MASK}: held-out patch tokens are masked as keys in every layer and
 *       head; the CLS token is always visible (ViT Shapley, Covert et al. 2023, Appendix A).
 *   <li>{@link Kind#TOKEN_DROP}: held-out tokens are dropped from the sequence. For a ViT with
 *       absolute position embeddings the CLS output equals attention masking; its cost grows with
 *       the number of kept tokens.
 *   <li>{@link Kind#PIXEL}: the held-out patch's pixels are replaced by a {@link PixelBaseline}.
 * </ul>
 *
 * @param kind the removal strategy
 * @param baseline the pixel baseline; only meaningful for {@link Kind#PIXEL}
 */
public record Removal(Kind kind, PixelBaseline baseline) {

    /** The removal strategies. */
    public enum Kind { ATTENTION_MASK, TOKEN_DROP, PIXEL }

    /** What replaces removed pixels. */
    public enum PixelBaseline {
        /** Black, 0 in [0, 1] pixel space. */
        ZERO,
        /** The model's normalisation mean, i.e. 0 after normalisation (ViT Shapley's "zero-input"). */
        MEAN,
        /** A Gaussian blur of the image (RISE insertion). */
        BLUR
    }

    public static final Removal ATTENTION_MASK = new Removal(Kind.ATTENTION_MASK, null);
    public static final Removal TOKEN_DROP = new Removal(Kind.TOKEN_DROP, null);

    public Removal {
        if (kind == Kind.PIXEL && baseline == null) {
            throw new IllegalArgumentException("pixel removal needs a baseline (ZERO, MEAN or BLUR)");
        }
        if (kind != Kind.PIXEL && baseline != null) {
            throw new IllegalArgumentException(kind + " removal takes no pixel baseline");
        }
    }

    /** Pixel removal with the given baseline. */
    public static Removal pixel(PixelBaseline baseline) {
        return new Removal(Kind.PIXEL, baseline);
    }

    /**
     * Parses {@code attention-mask}, {@code token-drop}, {@code pixel-zero}, {@code pixel-mean} or
     * {@code pixel-blur}.
     */
    public static Removal parse(String text) {
        return switch (text) {
            case "attention-mask" -> ATTENTION_MASK;
            case "token-drop" -> TOKEN_DROP;
            case "pixel-zero" -> pixel(PixelBaseline.ZERO);
            case "pixel-mean" -> pixel(PixelBaseline.MEAN);
            case "pixel-blur" -> pixel(PixelBaseline.BLUR);
            default -> throw new ConfigurationException("unknown removal '" + text
                    + "'; allowed: attention-mask, token-drop, pixel-zero, pixel-mean, pixel-blur");
        };
    }

    /** The {@code removal} parameter of a plug-in, defaulting to {@code defaultValue}. */
    public static Parameter<Removal> parameter(Removal defaultValue) {
        return Parameter.of("removal", defaultValue, Removal::parse, Removal::id,
                "attention-mask, token-drop, pixel-zero, pixel-mean, pixel-blur", "how removed patches are held out");
    }

    /** The inverse of {@link #parse(String)}. */
    public String id() {
        return switch (kind) {
            case ATTENTION_MASK -> "attention-mask";
            case TOKEN_DROP -> "token-drop";
            case PIXEL -> "pixel-" + baseline.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
