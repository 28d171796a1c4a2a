package org.vitbench.datasets.idx;

/**
 * The magic number and dimension sizes at the start of an IDX file.
 *
 * @param source the file or resource it was read from, for error messages
 * @param magic the magic number, e.g. {@link IdxReader#IMAGES_MAGIC}
 * @param dims the dimension sizes, e.g. {@code [n, rows, cols]}; copied on the way in and out
 */
public record IdxHeader(String source, int magic, int[] dims) {

    public IdxHeader {
        dims = dims.clone();
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The first dimension: the number of images or labels. */
    public int count() {
        return dims[0];
    }

    /** Bytes of the header: the magic and one 4-byte size per dimension. */
    public int headerBytes() {
        return 4 + 4 * dims.length;
    }

    /** Bytes of unsigned-byte data that follow the header: the product of the dimensions. */
    public long dataBytes() {
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        return total;
    }
}
