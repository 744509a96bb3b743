/**
 * HTTP plumbing every module that serves routes shares: {@link dev.sextant.query.http.RoutedService},
 * how a module hands its routes to the server as one service mounted with one call, and
 * {@link dev.sextant.query.http.CrossSite}, the one cross-site request check (the server's security
 * decorator and the UI's form actions both use it), and {@link dev.sextant.query.http.Caller},
 * who sent a request.
 */
package dev.sextant.query.http;
