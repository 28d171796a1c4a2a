/**
 * Contract tests that every explanation method and metric passes, and a fake model for oracle
 * tests. Published in the benchmark-api test-jar: a method's test extends
 * {@link org.vitbench.api.contract.ExplainerContract}, a metric's test extends
 * {@link org.vitbench.api.contract.MetricContract}, and both can run on a
 * {@link org.vitbench.api.contract.FakeVitModel} whose logits and attention are given by hand.
 */
package org.vitbench.api.contract;
