/**
 * The jnatsd runtime: server lifecycle, connections, accounts and the embedding API.
 */
package io.jnatsd.server;
