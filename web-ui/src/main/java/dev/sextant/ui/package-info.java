/**
 * The web UI as one service the server mounts ({@link dev.sextant.ui.WebUi}, built by
 * {@link dev.sextant.ui.WebUiBuilder}), and browser hardening: the security headers the server
 * puts on every answer and the cross-site check that refuses state-changing requests from other
 * sites. Pages live in {@code ui.internal}.
 */
package dev.sextant.ui;
