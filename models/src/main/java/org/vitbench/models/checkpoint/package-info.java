/**
 * Model checkpoints in the safetensors format: reading timm / Hugging Face weights and writing
 * vitbench's own, strictly and without executing anything stored in a file.
 *
 * <p>{@link org.vitbench.models.checkpoint.Safetensors} reads and writes whole files;
 * {@link org.vitbench.models.checkpoint.Tensor} is the plain-array value that passes in and out
 * (no native memory). Turning tensors into a model's parameters, and checking their names and
 * shapes against the model, is the model's job, not this package's.
 */
package org.vitbench.models.checkpoint;
