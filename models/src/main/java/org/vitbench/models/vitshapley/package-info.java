/**
 * ViT Shapley (Covert, Kim, Lee, ICLR 2023, arXiv 2206.05282): the surrogate that imitates a
 * classifier on images with patches held out by attention masking, the learned explainer that
 * outputs Shapley values for every patch and class in one forward pass, and their trainers.
 */
package org.vitbench.models.vitshapley;
