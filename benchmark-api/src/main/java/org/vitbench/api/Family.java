package org.vitbench.api;

/** The family an explanation method belongs to; the report groups methods by it. */
public enum Family { BASELINE, ATTENTION, GRADIENT, PROPAGATION, PERTURBATION, SHAPLEY }
