/** Page handlers, template rendering and formatting of the web UI; not a public API. */
package dev.sextant.ui.internal;
