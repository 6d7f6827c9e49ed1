package io.jnatsd.server.auth;

import io.jnatsd.jwt.Jwt;
import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.TimeRange;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.nkeys.NKey;
import io.jnatsd.nkeys.NKeyType;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * nats-io/jwt's {@code UserClaims.Validate}: every issue of a user JWT, time checks included, in the library's
 * order and with its texts. The auth callout refuses a user JWT with any issue (nats-server reports the first).
 * Stateless.
 */
final class UserValidation {

    private static final Pattern CLOCK = Pattern.compile("(\\d{1,2}):(\\d{2}):(\\d{2})");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private UserValidation() {
    }

    /** The first issue, or null when the user JWT is valid at {@code nowSeconds}. */
    static String firstIssue(Jwt jwt, UserClaims user, long nowSeconds) {
        List<String> issues = issues(jwt, user, nowSeconds);
        return issues.isEmpty() ? null : issues.getFirst();
    }

    // nats-io/jwt: user_claims.go UserClaims.Validate, User.Validate; types.go Permissions.Validate,
    // Limits.Validate, TimeRange.Validate, checkPermission, Subject.Validate
    static List<String> issues(Jwt jwt, UserClaims user, long nowSeconds) {
        List<String> issues = new ArrayList<>(jwt.claims().timeIssues(nowSeconds));
        permission(user.subscribe(), true, issues);
        permission(user.publish(), false, issues);
        for (String cidr : user.sourceNetworks()) {
            if (!isCidr(cidr)) {
                issues.add("invalid cidr \"" + cidr + "\" in user src limits");
            }
        }
        for (TimeRange range : user.times()) {
            timeRange(range, issues);
        }
        if (!user.timesLocation().isEmpty() && !isZone(user.timesLocation())) {
            issues.add("could not parse iana time zone by name: unknown time zone " + user.timesLocation());
        }
        if (!user.issuerAccount().isEmpty() && !NKey.isValidPublicKey(user.issuerAccount(), NKeyType.ACCOUNT)) {
            issues.add("account_id is not an account public key");
        }
        return issues;
    }

    private static void permission(Permission p, boolean permitQueue, List<String> issues) {
        for (String subject : p.allow()) {
            checkPermission(subject, permitQueue, issues);
        }
        for (String subject : p.deny()) {
            checkPermission(subject, permitQueue, issues);
        }
    }

    private static void checkPermission(String subject, boolean permitQueue, List<String> issues) {
        String[] tokens = subject.split(" ", -1);
        switch (tokens.length) {
            case 1 -> subjectIssues(tokens[0], issues);
            case 2 -> {
                subjectIssues(tokens[0], issues);
                subjectIssues(tokens[1], issues);
                if (!permitQueue) {
                    issues.add("Permission Subject \"" + subject + "\" is not allowed to contain queue");
                }
            }
            default -> issues.add("Permission Subject \"" + subject + "\" contains too many spaces");
        }
    }

    private static void subjectIssues(String subject, List<String> issues) {
        if (subject.isEmpty()) {
            issues.add("subject cannot be empty");
            return;
        }
        String quoted = "\"" + subject + "\"";
        if (subject.startsWith(".") || subject.endsWith(".")) {
            issues.add("subject " + quoted + " cannot start or end with a `.`");
        }
        if (subject.contains("..")) {
            issues.add("subject " + quoted + " cannot contain consecutive `.`");
        }
    }

    private static void timeRange(TimeRange range, List<String> issues) {
        String start = range.start() == null ? "" : range.start();
        String end = range.end() == null ? "" : range.end();
        if (start.isEmpty()) {
            issues.add("time ranges start must contain a start");
        } else if (!isClock(start)) {
            issues.add("start in time range is invalid \"" + start + "\"");
        }
        if (end.isEmpty()) {
            issues.add("time ranges end must contain an end");
        } else if (!isClock(end)) {
            issues.add("end in time range is invalid \"" + end + "\"");
        }
    }

    /** Go's {@code time.Parse("15:04:05", s)}. */
    private static boolean isClock(String s) {
        var m = CLOCK.matcher(s);
        return m.matches() && Integer.parseInt(m.group(1)) < 24 && Integer.parseInt(m.group(2)) < 60
                && Integer.parseInt(m.group(3)) < 60;
    }

    /** Go's {@code time.LoadLocation}: IANA names, {@code UTC} and {@code Local}. */
    private static boolean isZone(String name) {
        if (name.equals("UTC") || name.equals("Local")) {
            return true;
        }
        try {
            ZoneId.of(name);
            return name.contains("/") || ZoneId.getAvailableZoneIds().contains(name);
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Go's {@code net.ParseCIDR}: an IPv4 or IPv6 literal, a slash and a prefix length that fits it. */
    static boolean isCidr(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String ip = cidr.substring(0, slash);
        String bits = cidr.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int prefix = Integer.parseInt(bits);
        if (IPV4.matcher(ip).matches()) {
            for (String octet : ip.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return prefix <= 32;
        }
        if (ip.indexOf(':') < 0) {
            return false;
        }
        try {
            InetAddress.getByName(ip);                  // a literal with ':' never goes to DNS
        } catch (UnknownHostException e) {
            return false;
        }
        return prefix <= 128;
    }
}
