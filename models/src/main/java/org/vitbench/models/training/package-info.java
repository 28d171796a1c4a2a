/**
 * Training of vitbench's own models: the classifier (and, later, the ViT Shapley surrogate and
 * explainer), seeded, resumable, with atomic checkpoints.
 */
package org.vitbench.models.training;
