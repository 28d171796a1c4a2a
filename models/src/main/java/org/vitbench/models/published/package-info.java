/**
 * Checkpoints as they are published: timm hub directories and Hugging Face
 * {@code ViTForImageClassification} directories, read into vitbench's {@link org.vitbench.models.ModelConfig}
 * and timm's parameter keys, so that what a user downloads loads unchanged.
 */
package org.vitbench.models.published;
