/**
 * A run directory on disk: the append-only result store with resume ({@code results.jsonl}), the
 * manifest {@code run.json}, the lock that keeps two runs out of one directory, and the protocol
 * hash under which runs may share a leaderboard.
 */
package org.vitbench.runner.store;
