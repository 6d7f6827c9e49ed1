/**
 * The jnatsd process: {@link io.jnatsd.app.Main} turns nats-server's command line into a running server, traps
 * signals as nats-server does ({@code server/signal.go}) and exits with its codes. Logging output is set up by
 * {@code io.jnatsd.app.logging}.
 */
package io.jnatsd.app;
