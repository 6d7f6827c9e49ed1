/**
 * The system account's events and requests: nats-server's {@code server/events.go}.
 * <ul>
 *   <li>{@link io.jnatsd.server.events.SystemEvents}: connect, disconnect and auth error advisories, account
 *       connection counts, the STATSZ heartbeat, lame duck and shutdown, and the tracking of other servers.</li>
 *   <li>{@code SystemRequests}: {@code $SYS.REQ.SERVER.*}, {@code $SYS.REQ.ACCOUNT.*}, {@code $SYS.REQ.USER.INFO},
 *       {@code $SYS.DEBUG.SUBSCRIBERS}, answered with {@link io.jnatsd.server.monitor.Monitoring}'s data in
 *       nats-server's envelope, and the system imports every other account has.</li>
 * </ul>
 * Threads: one platform thread ({@code jnatsd-system}) stamps and publishes every system message, runs the timers
 * and answers requests, as nats-server's {@code internalSendLoop}; connections' event loops only capture what an
 * event reports and hand it over, and subscription callbacks (on the publisher's thread) only queue the request.
 */
package io.jnatsd.server.events;
