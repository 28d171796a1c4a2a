package org.vitbench.datasets.idx;

/**
 * The contents of an IDX label file.
 *
 * @param source the file or resource it was read from, for error messages
 * @param labels one unsigned byte per sample; not copied
 */
public record IdxLabels(String source, byte[] labels) {

    public int count() {
        return labels.length;
    }

    /** The label of sample {@code index}, 0 to 255. */
    public int label(int index) {
        return labels[index] & 0xff;
    }
}
