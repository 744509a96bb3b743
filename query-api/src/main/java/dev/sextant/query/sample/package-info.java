/**
 * Bounded, deterministic samples of the traces a search matches over a window, and reading them
 * under one span budget: what the answers over many traces ({@code query.compare},
 * {@code query.critpath}) share so that a busy hour costs the same as a quiet one.
 */
package dev.sextant.query.sample;
