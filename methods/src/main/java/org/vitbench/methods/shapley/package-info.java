/** Learned Shapley-value estimators: ViT Shapley's explainer (one forward pass per image). */
package org.vitbench.methods.shapley;
