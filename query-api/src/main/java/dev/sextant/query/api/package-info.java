/** Sextant's native JSON query API under {@code /api}; entry point {@link dev.sextant.query.api.QueryApi}. */
package dev.sextant.query.api;
