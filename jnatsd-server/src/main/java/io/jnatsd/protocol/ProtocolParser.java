package io.jnatsd.protocol;

import io.jnatsd.common.ByteBufCopy;
import io.jnatsd.common.GoQuote;
import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * Incremental parser for the client protocol (CONNECT, PUB, HPUB, SUB, UNSUB, PING, PONG, INFO, +OK, -ERR).
 * <p>
 * Works in place on the connection's read buffer: it consumes only complete operations and leaves an incomplete
 * one unread, so the caller's cumulation buffer keeps the bytes until more arrive (Netty's
 * {@code ByteToMessageDecoder} does that). A PUB whose payload has not fully arrived is re-recognised once it has;
 * {@link #awaitedBytes} makes every read in between a single comparison, and {@link #scannedBytes} keeps a line that
 * trickles in from being searched twice. Nothing is allocated per operation: arguments reach the
 * {@link ProtocolHandler} as offsets into the buffer.
 * <p>
 * Differences from a byte-at-a-time state machine are only in timing: an invalid operation name is reported as
 * soon as its first wrong byte arrives, but argument errors only once the line is complete.
 * <p>
 * Owned by one connection's event loop; not thread-safe. Never retains the buffer it is given.
 */
public final class ProtocolParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final int NEED_MORE = -1;
    private static final int MISMATCH = -2;
    private static final int MAX_SIZE_DIGITS = 9;
    private static final int SNIPPET_BYTES = 32;

    private static final byte[] PUB = {'P', 'U', 'B'};
    private static final byte[] HPUB = {'H', 'P', 'U', 'B'};
    private static final byte[] SUB = {'S', 'U', 'B'};
    private static final byte[] UNSUB = {'U', 'N', 'S', 'U', 'B'};
    private static final byte[] PING = {'P', 'I', 'N', 'G'};
    private static final byte[] PONG = {'P', 'O', 'N', 'G'};
    private static final byte[] CONNECT = {'C', 'O', 'N', 'N', 'E', 'C', 'T'};
    private static final byte[] INFO = {'I', 'N', 'F', 'O'};
    private static final byte[] OK = {'+', 'O', 'K'};
    private static final byte[] ERR = {'-', 'E', 'R', 'R'};

    /** Operations whose rest of line is skipped: nats-server ignores anything after PING, PONG and +OK. */
    private static final int SKIP_NONE = 0;
    private static final int SKIP_PING = 1;
    private static final int SKIP_PONG = 2;
    private static final int SKIP_OK = 3;

    private final ProtocolHandler handler;
    private int maxControlLineBytes;

    private int scannedBytes;            // bytes of the pending line (from readerIndex) already searched for LF
    private int awaitedBytes;            // bytes (from readerIndex) a pending PUB/HPUB needs; 0 if none
    private int skipUntilLf = SKIP_NONE; // a PING/PONG/+OK whose line end has not arrived yet
    private boolean stopped;             // an error or a handler asked to stop; nothing more is parsed
    private boolean paused;              // a handler waits for something (account fetch); bytes stay unread

    // Argument tokens of the current line, reused for every operation (never escape).
    private final int[] tokenOffsets = new int[5];
    private final int[] tokenLengths = new int[5];
    private final PublishLine publishLine = new PublishLine();
    // The current control line (operation name to LF) copied out of the read buffer: arguments are examined in
    // this array rather than byte by byte through ByteBuf accessors (bounds and reference-count checks per byte).
    private byte[] line = new byte[256];

    public ProtocolParser(ProtocolHandler handler, int maxControlLineBytes) {
        this.handler = handler;
        this.maxControlLineBytes = maxControlLineBytes;
    }

    /** Applies a new max_control_line (config reload). */
    public void maxControlLineBytes(int value) {
        this.maxControlLineBytes = value;
    }

    /**
     * Stops parsing after the current operation until {@link #resume()}; what follows stays unread in the buffer.
     * For a handler that must finish asynchronous work (an account lookup) before the next operation.
     */
    public void pause() {
        paused = true;
    }

    /** Lets {@link #parse} go on after {@link #pause()}. */
    public void resume() {
        paused = false;
    }

    /** Whether parsing has stopped for good (error or closing connection). */
    public boolean isStopped() {
        return stopped;
    }

    /** Consumes every complete operation in {@code in}; leaves an incomplete one unread. */
    public void parse(ByteBuf in) {
        while (!stopped && !paused) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int available = end - start;
            if (available <= 0) {
                return;
            }
            if (skipUntilLf != SKIP_NONE) {
                if (!skipLine(in, start, end)) {
                    return;
                }
                continue;
            }
            if (awaitedBytes > available) {
                return;
            }
            if (!parseOne(in, start, end)) {
                return;
            }
        }
    }

    /** Parses the operation at {@code start}; false when more bytes are needed or parsing stopped. */
    private boolean parseOne(ByteBuf in, int start, int end) {
        byte first = in.getByte(start);
        if (first != 'C' && first != 'c' && handler.awaitingAuth()) {
            if (!handler.onOperationBeforeConnect()) {
                stopped = true;
                return false;
            }
            if (paused) {
                return false;                    // the handler waits (auth callout) before this operation runs
            }
        }
        switch (first) {
            case 'P', 'p' -> {
                if (end - start < 2) {
                    return false;
                }
                byte second = in.getByte(start + 1);
                return switch (second) {
                    case 'U', 'u' -> argumentOperation(in, start, end, PUB, true);
                    case 'I', 'i' -> skippedOperation(in, start, end, PING, SKIP_PING);
                    case 'O', 'o' -> skippedOperation(in, start, end, PONG, SKIP_PONG);
                    default -> unknownOperation(in, start + 1);
                };
            }
            case 'H', 'h' -> {
                return argumentOperation(in, start, end, HPUB, true);
            }
            case 'S', 's' -> {
                return argumentOperation(in, start, end, SUB, true);
            }
            case 'U', 'u' -> {
                return argumentOperation(in, start, end, UNSUB, true);
            }
            case 'C', 'c' -> {
                return argumentOperation(in, start, end, CONNECT, false);
            }
            case 'I', 'i' -> {
                return argumentOperation(in, start, end, INFO, false);
            }
            case '-' -> {
                return argumentOperation(in, start, end, ERR, true);
            }
            case '+' -> {
                return skippedOperation(in, start, end, OK, SKIP_OK);
            }
            default -> {
                return unknownOperation(in, start);
            }
        }
    }

    /**
     * Matches {@code keyword} case-insensitively at {@code start} of the buffer.
     *
     * @return the index after the keyword, {@link #NEED_MORE} or the negated index of the first mismatch minus 2
     */
    private static int matchKeyword(ByteBuf in, int start, int end, byte[] keyword) {
        for (int i = 0; i < keyword.length; i++) {
            int at = start + i;
            if (at >= end) {
                return NEED_MORE;
            }
            if (upperCase(in.getByte(at)) != keyword[i]) {
                return MISMATCH - at;
            }
        }
        return start + keyword.length;
    }

    /** {@link #matchKeyword(ByteBuf, int, int, byte[])} over {@code line[0, length)}. */
    private static int matchKeyword(byte[] line, int length, byte[] keyword) {
        for (int i = 0; i < keyword.length; i++) {
            if (i >= length) {
                return NEED_MORE;
            }
            if (upperCase(line[i]) != keyword[i]) {
                return MISMATCH - i;
            }
        }
        return keyword.length;
    }

    private static byte upperCase(byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b;
    }

    private boolean skippedOperation(ByteBuf in, int start, int end, byte[] keyword, int skipKind) {
        int after = matchKeyword(in, start, end, keyword);
        if (after == NEED_MORE) {
            return false;
        }
        if (after < NEED_MORE) {
            return unknownOperation(in, MISMATCH - after);
        }
        in.readerIndex(after);
        skipUntilLf = skipKind;
        return skipLine(in, after, end);
    }

    /** Skips to the end of a PING/PONG/+OK line, then reports the operation. */
    private boolean skipLine(ByteBuf in, int start, int end) {
        int lf = in.indexOf(start, end, LF);
        if (lf < 0) {
            in.readerIndex(end);
            return false;
        }
        in.readerIndex(lf + 1);
        int kind = skipUntilLf;
        skipUntilLf = SKIP_NONE;
        boolean proceed = switch (kind) {
            case SKIP_PING -> handler.onPing();
            case SKIP_PONG -> handler.onPong();
            default -> handler.onOk();
        };
        if (!proceed) {
            stopped = true;
        }
        return proceed;
    }

    private boolean argumentOperation(ByteBuf in, int start, int end, byte[] keyword, boolean needsSpace) {
        int searchFrom = start + scannedBytes;
        int lf = searchFrom < end ? in.indexOf(searchFrom, end, LF) : -1;
        if (lf < 0) {
            return incompleteLine(in, start, end, keyword, needsSpace);
        }
        scannedBytes = 0;
        // The whole line is here: examine it as an array, with the LF at index lfAt.
        int lfAt = lf - start;
        byte[] b = lineCopy(in, start, lfAt + 1);
        int after = matchKeyword(b, lfAt + 1, keyword);
        if (after < NEED_MORE) {
            return unknownOperation(in, start + MISMATCH - after);
        }
        int argStart = after;
        if (needsSpace && b[argStart] != ' ' && b[argStart] != '\t') {
            return unknownOperation(in, start + argStart);
        }
        while (b[argStart] == ' ' || b[argStart] == '\t') {
            argStart++;
        }
        int argEnd = lfAt;
        if (argEnd > argStart && b[argEnd - 1] == CR) {
            argEnd--;
        }
        int argLength = Math.max(0, argEnd - argStart);
        if (argLength > maxControlLineBytes) {
            return controlLineExceeded();
        }
        int lineEnd = lf + 1;
        int argOffset = start + argStart;
        return switch (keyword[0]) {
            case 'P' -> publish(in, start, end, argStart, argLength, lineEnd, false);
            case 'H' -> publish(in, start, end, argStart, argLength, lineEnd, true);
            case 'S' -> subscribe(in, start, argStart, argLength, lineEnd);
            case 'U' -> unsubscribe(in, start, argStart, argLength, lineEnd);
            case 'C' -> consumed(in, lineEnd, handler.onConnect(in, argOffset, argLength));
            case 'I' -> consumed(in, lineEnd, handler.onInfo(in, argOffset, argLength));
            default -> consumed(in, lineEnd, handler.onErr(in, argOffset, argLength));
        };
    }

    /** Copies {@code length} bytes at {@code start} into {@link #line} (grown when needed) and returns it. */
    private byte[] lineCopy(ByteBuf in, int start, int length) {
        byte[] b = line;
        if (b.length < length) {
            b = new byte[Math.max(length, b.length * 2)];
            line = b;
        }
        ByteBufCopy.toArray(in, start, b, 0, length);
        return b;
    }

    /**
     * A line whose LF has not arrived: reports a wrong operation name or an over-long line now, as nats-server's
     * byte-at-a-time parser would, and otherwise waits (remembering how far the LF search got).
     */
    private boolean incompleteLine(ByteBuf in, int start, int end, byte[] keyword, boolean needsSpace) {
        int after = matchKeyword(in, start, end, keyword);
        if (after == NEED_MORE) {
            return false;
        }
        if (after < NEED_MORE) {
            return unknownOperation(in, MISMATCH - after);
        }
        int argStart = after;
        if (needsSpace) {
            if (argStart >= end) {
                return false;
            }
            byte b = in.getByte(argStart);
            if (b != ' ' && b != '\t') {
                return unknownOperation(in, argStart);
            }
        }
        while (argStart < end) {
            byte b = in.getByte(argStart);
            if (b != ' ' && b != '\t') {
                break;
            }
            argStart++;
        }
        scannedBytes = end - start;
        if (end - argStart > maxControlLineBytes) {
            return controlLineExceeded();
        }
        return false;
    }

    private boolean consumed(ByteBuf in, int lineEnd, boolean proceed) {
        in.readerIndex(lineEnd);
        if (!proceed) {
            stopped = true;
        }
        return proceed;
    }

    /**
     * A complete PUB/HPUB line whose arguments are {@code line[argStart, argStart+argLength)}; {@code start} is the
     * buffer offset of {@code line[0]}.
     */
    private boolean publish(ByteBuf in, int start, int end, int argStart, int argLength, int lineEnd,
                            boolean withHeaders) {
        String op = withHeaders ? "processHeaderPub" : "processPub";
        byte[] b = line;
        int count = tokenize(b, argStart, argLength, 5, false);
        int replyIndex;
        int headerSize = -1;
        int totalSize;
        if (withHeaders) {
            if (count != 3 && count != 4) {
                return badArguments(op + " Parse Error: ", b, argStart, argLength);
            }
            replyIndex = count == 4 ? 1 : -1;
            headerSize = parseSize(b, tokenOffsets[count - 2], tokenLengths[count - 2]);
            totalSize = parseSize(b, tokenOffsets[count - 1], tokenLengths[count - 1]);
            if (headerSize < 0) {
                return badArguments(op + " Bad or Missing Header Size: ", b, argStart, argLength);
            }
            if (totalSize < 0) {
                return badArguments(op + " Bad or Missing Total Size: ", b, argStart, argLength);
            }
            if (headerSize > totalSize) {
                return badArguments(op + " Header Size larger then TotalSize: ", b, argStart, argLength);
            }
        } else {
            if (count != 2 && count != 3) {
                return badArguments(op + " Parse Error: ", b, argStart, argLength);
            }
            replyIndex = count == 3 ? 1 : -1;
            totalSize = parseSize(b, tokenOffsets[count - 1], tokenLengths[count - 1]);
            if (totalSize < 0) {
                return badArguments(op + " Bad or Missing Size: ", b, argStart, argLength);
            }
        }
        if (awaitedBytes == 0 && !handler.onPublishSize(headerSize, totalSize)) {
            stopped = true;
            return false;
        }
        long needed = (long) (lineEnd - start) + totalSize + 2;
        if (needed > end - start) {
            awaitedBytes = (int) Math.min(Integer.MAX_VALUE, needed);
            return false;
        }
        awaitedBytes = 0;
        int payloadEnd = lineEnd + totalSize;
        if (in.getByte(payloadEnd) != CR || in.getByte(payloadEnd + 1) != LF) {
            return unknownOperation(in, payloadEnd);
        }
        in.readerIndex(payloadEnd + 2);
        PublishLine pl = publishLine;
        pl.line = b;
        pl.lineStart = start;
        pl.subjectOffset = start + tokenOffsets[0];
        pl.subjectLength = tokenLengths[0];
        pl.replyOffset = replyIndex < 0 ? 0 : start + tokenOffsets[replyIndex];
        pl.replyLength = replyIndex < 0 ? 0 : tokenLengths[replyIndex];
        pl.headerLength = headerSize;
        pl.headerSizeOffset = withHeaders ? start + tokenOffsets[count - 2] : 0;
        pl.headerSizeLength = withHeaders ? tokenLengths[count - 2] : 0;
        pl.totalLength = totalSize;
        pl.totalSizeOffset = start + tokenOffsets[count - 1];
        pl.totalSizeLength = tokenLengths[count - 1];
        pl.payloadOffset = lineEnd;
        boolean proceed = handler.onPublish(in, pl);
        if (!proceed) {
            stopped = true;
        }
        return proceed;
    }

    /** A complete SUB line; offsets as for {@link #publish}. */
    private boolean subscribe(ByteBuf in, int start, int argStart, int argLength, int lineEnd) {
        int count = tokenize(line, argStart, argLength, 4, true);
        if (count != 2 && count != 3) {
            return badArguments("processSub Parse Error: ", line, argStart, argLength);
        }
        in.readerIndex(lineEnd);
        boolean queue = count == 3;
        boolean proceed = handler.onSubscribe(in, start + tokenOffsets[0], tokenLengths[0],
                queue ? start + tokenOffsets[1] : 0, queue ? tokenLengths[1] : 0,
                start + tokenOffsets[count - 1], tokenLengths[count - 1]);
        if (!proceed) {
            stopped = true;
        }
        return proceed;
    }

    /** A complete UNSUB line; offsets as for {@link #publish}. */
    private boolean unsubscribe(ByteBuf in, int start, int argStart, int argLength, int lineEnd) {
        int count = tokenize(line, argStart, argLength, 3, true);
        if (count != 1 && count != 2) {
            return badArguments("processUnsub Parse Error: ", line, argStart, argLength);
        }
        int max = count == 2 ? parseSize(line, tokenOffsets[1], tokenLengths[1]) : -1;
        in.readerIndex(lineEnd);
        boolean proceed = handler.onUnsubscribe(in, start + tokenOffsets[0], tokenLengths[0], max);
        if (!proceed) {
            stopped = true;
        }
        return proceed;
    }

    /**
     * Splits {@code b[offset, offset+length)} on runs of space and tab, and also CR and LF where nats-server uses
     * {@code splitArg} (SUB, UNSUB) rather than its PUB/HPUB loops; counts at most {@code limit} tokens. Token
     * offsets are indexes into {@code b}.
     */
    private int tokenize(byte[] b, int offset, int length, int limit, boolean crLfSeparate) {
        int count = 0;
        int tokenStart = -1;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte c = b[i];
            if (c == ' ' || c == '\t' || (crLfSeparate && (c == '\r' || c == '\n'))) {
                if (tokenStart >= 0) {
                    if (count == limit) {
                        return count + 1;
                    }
                    tokenOffsets[count] = tokenStart;
                    tokenLengths[count++] = i - tokenStart;
                    tokenStart = -1;
                }
            } else if (tokenStart < 0) {
                tokenStart = i;
            }
        }
        if (tokenStart >= 0) {
            if (count == limit) {
                return count + 1;
            }
            tokenOffsets[count] = tokenStart;
            tokenLengths[count++] = end - tokenStart;
        }
        return count;
    }

    /** nats-server's parseSize: 1 to 9 ASCII digits, else -1. */
    static int parseSize(byte[] b, int offset, int length) {
        if (length == 0 || length > MAX_SIZE_DIGITS) {
            return -1;
        }
        int n = 0;
        for (int i = offset; i < offset + length; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            n = n * 10 + digit;
        }
        return n;
    }

    private boolean unknownOperation(ByteBuf in, int at) {
        stopped = true;
        int snippetEnd = Math.min(in.writerIndex(), at + SNIPPET_BYTES);
        String snippet = at >= in.writerIndex() ? "\"\"" : GoQuote.quote(bytes(in, at, snippetEnd - at));
        handler.onProtocolError(ProtocolError.UNKNOWN_OPERATION, "Unknown Protocol Operation",
                "Client parser ERROR, state=0, i=" + (at - in.readerIndex()) + ": proto='" + snippet + "...'");
        return false;
    }

    private boolean controlLineExceeded() {
        stopped = true;
        handler.onProtocolError(ProtocolError.MAX_CONTROL_LINE, "maximum control line exceeded",
                "maximum control line exceeded");
        return false;
    }

    private boolean badArguments(String prefix, byte[] b, int offset, int length) {
        stopped = true;
        handler.onProtocolError(ProtocolError.BAD_ARGUMENTS, null,
                prefix + GoQuote.quote(Arrays.copyOfRange(b, offset, offset + length)));
        return false;
    }

    private static byte[] bytes(ByteBuf in, int offset, int length) {
        byte[] copy = new byte[length];
        in.getBytes(offset, copy);
        return copy;
    }
}
