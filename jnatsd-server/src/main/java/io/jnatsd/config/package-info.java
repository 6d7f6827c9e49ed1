/**
 * Server configuration: the nats-server configuration-file language and the options it produces.
 *
 * <p>{@link io.jnatsd.config.ConfParser} reads the language with the behaviour of nats-server
 * {@code conf/lex.go} and {@code conf/parse.go}: separators {@code = : space}, maps, arrays, comments,
 * quoted, bare, escaped and block strings, integers with size suffixes, floats, bools, datetimes, variables
 * (config keys and environment), includes, nats-server's positions and error texts, and the config digest.
 * {@link io.jnatsd.config.GoDuration} reads and prints Go duration strings. The {@code accounts} block becomes
 * {@link io.jnatsd.config.AccountOptions} with {@link io.jnatsd.config.ExportOptions} and
 * {@link io.jnatsd.config.ImportOptions}, checked against each other by {@link io.jnatsd.config.AccountGraph}
 * ({@code server/opts.go parseAccounts}, {@code server/accounts.go} add/check functions). Operator-mode keys become
 * {@link io.jnatsd.config.OperatorOptions} ({@code server/opts.go}, {@code server/jwt.go validateTrustedOperators}).
 * The {@code websocket} block becomes {@link io.jnatsd.config.WebSocketOptions} ({@code opts.go parseWebsocket},
 * checked by {@code websocket.go validateWebsocketOptions}); {@link io.jnatsd.config.GoUrl} has the parts of Go's
 * {@code net/url} and {@code net.SplitHostPort} its origins need. {@code authorization.auth_callout} becomes
 * {@link io.jnatsd.config.AuthCalloutOptions} ({@code opts.go parseAuthCallout}).
 * Everything here is plain data and stateless functions; nothing owns a thread.
 */
package io.jnatsd.config;
