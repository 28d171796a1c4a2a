/**
 * Reading and writing IDX files, the format of MNIST and Fashion-MNIST (LeCun, Cortes, Burges,
 * "The MNIST database of handwritten digits"): a big-endian magic number {@code 0x0000TTDD}
 * (type {@code TT}, {@code 0x08} for unsigned bytes, and {@code DD} dimensions), one 32-bit
 * big-endian size per dimension, then the values in row-major order.
 *
 * <p>Only unsigned-byte files are supported: images {@code 0x00000803} ({@code [n, rows, cols]})
 * and labels {@code 0x00000801} ({@code [n]}). Files may be gzip-compressed; compression is detected
 * from the gzip magic bytes {@code 1f 8b}, never from the file name. Every malformed file gives a
 * {@link org.vitbench.api.ConfigurationException} naming the file, what was expected and what was
 * found. {@link org.vitbench.datasets.idx.IdxDataset} serves such files as a
 * {@link org.vitbench.api.Dataset}, keeping the raw bytes and converting one image per call.
 */
package org.vitbench.datasets.idx;
