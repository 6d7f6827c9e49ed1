package io.jnatsd.bench.tool;

/**
 * Whether a run delivered exactly what was published: every expected message once (and, for one publisher to one
 * receiver, in order), and no {@code -ERR} from the server.
 *
 * @param expected   messages that should have been received, over all receivers
 * @param received   messages received
 * @param missing    expected messages that never arrived
 * @param duplicates messages received twice, out of order, or not expected at all
 * @param errors     {@code -ERR} lines and connection failures
 * @param detail     what went wrong, or what could not be checked; empty when nothing needs saying
 */
record Verification(long expected, long received, long missing, long duplicates, long errors, String detail) {

    /** True if nothing was lost, duplicated or reported as an error. */
    boolean ok() {
        return missing == 0 && duplicates == 0 && errors == 0 && received == expected;
    }

    /** Short text for the table: {@code ok} or what failed. */
    String summary() {
        if (ok()) {
            return "ok";
        }
        StringBuilder s = new StringBuilder("FAIL");
        if (missing != 0) {
            s.append(" lost=").append(missing);
        }
        if (duplicates != 0) {
            s.append(" dup=").append(duplicates);
        }
        if (errors != 0) {
            s.append(" err=").append(errors);
        }
        if (missing == 0 && duplicates == 0 && errors == 0) {
            s.append(" got=").append(received).append("/").append(expected);
        }
        return s.toString();
    }
}
