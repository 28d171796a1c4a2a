package org.vitbench.api;

/** The category a metric belongs to (as in Quantus). */
public enum Category { FAITHFULNESS, ESTIMATION, LOCALISATION, RANDOMISATION, ROBUSTNESS, COMPLEXITY, RUNTIME }
