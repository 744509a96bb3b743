/**
 * Replays rule files over stored history and reports the alert timeline and the pages each
 * receiver would have got, without delivering or persisting anything.
 */
package dev.sextant.alert.backtest;
