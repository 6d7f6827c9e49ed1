package io.jnatsd.config;

import java.nio.file.Path;

/**
 * Mutable copy of {@link ServerOptions.LoggingOptions} used while the config file and the flags are applied, so
 * each key or flag changes one field. Not thread-safe; lives only during option assembly.
 */
final class LoggingBuilder {
    boolean debug;
    boolean trace;
    boolean traceVerbose;
    boolean traceHeaders;
    boolean logtime;
    boolean logtimeUtc;
    Path logFile;
    long logSizeLimitBytes;
    int logMaxFiles;
    boolean syslog;
    String remoteSyslog;
    int maxTracedMsgLen;

    LoggingBuilder(ServerOptions.LoggingOptions from) {
        debug = from.debug();
        trace = from.trace();
        traceVerbose = from.traceVerbose();
        traceHeaders = from.traceHeaders();
        logtime = from.logtime();
        logtimeUtc = from.logtimeUtc();
        logFile = from.logFile();
        logSizeLimitBytes = from.logSizeLimitBytes();
        logMaxFiles = from.logMaxFiles();
        syslog = from.syslog();
        remoteSyslog = from.remoteSyslog();
        maxTracedMsgLen = from.maxTracedMsgLen();
    }

    ServerOptions.LoggingOptions build() {
        return new ServerOptions.LoggingOptions(debug, trace, traceVerbose, traceHeaders, logtime, logtimeUtc, logFile,
                logSizeLimitBytes, logMaxFiles, syslog, remoteSyslog, maxTracedMsgLen);
    }
}
