package io.jnatsd.server.auth;

import io.jnatsd.jwt.Permission;
import io.jnatsd.jwt.UserClaims;
import io.jnatsd.subject.Subjects;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the permission templates of a scoped signing key for one user ({@code server/auth.go
 * processUserPermissionsTemplate}): {@code {{name()}}}, {@code {{subject()}}}, {@code {{account-name()}}},
 * {@code {{account-subject()}}}, {@code {{tag(k)}}}, {@code {{account-tag(k)}}} (operation names case-insensitive;
 * multi-valued tags expand to every combination, at most {@value #MAX_EXPANSIONS} subjects per list).
 * <p>
 * Allow lists drop entries that come out invalid or use a missing tag; deny lists fail instead. An allow list that
 * had entries and ends up empty adds {@code >} to the matching deny list. Stateless.
 */
final class UserTemplates {

    /** nats-server's {@code maxPermTemplateSubjectExpansions}. */
    static final int MAX_EXPANSIONS = 4096;

    private static final Pattern MUSTACHE = Pattern.compile("\\{\\{[^}]+}}");

    /** A template that cannot be applied; the message is nats-server's. */
    static final class TemplateException extends Exception {
        private static final long serialVersionUID = 1L;

        TemplateException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The values templates refer to.
     *
     * @param userName       the user JWT {@code name}
     * @param userKey        the user public key
     * @param userTags       the user JWT tags
     * @param accountName    the account JWT {@code name}
     * @param accountKey     the account public key
     * @param accountTags    the account JWT tags
     */
    record Values(String userName, String userKey, List<String> userTags, String accountName, String accountKey,
                  List<String> accountTags) {
    }

    private UserTemplates() {
    }

    /** {@code template} with its publish and subscribe lists expanded for {@code values}. */
    static UserClaims apply(UserClaims template, Values values) throws TemplateException {
        List<String> subAllow = expand(template.subscribe().allow(), values, false);
        List<String> subDeny = new ArrayList<>(expand(template.subscribe().deny(), values, true));
        List<String> pubAllow = expand(template.publish().allow(), values, false);
        List<String> pubDeny = new ArrayList<>(expand(template.publish().deny(), values, true));
        if (!template.subscribe().allow().isEmpty() && subAllow.isEmpty() && !subDeny.contains(">")) {
            subDeny.add(">");
        }
        if (!template.publish().allow().isEmpty() && pubAllow.isEmpty() && !pubDeny.contains(">")) {
            pubDeny.add(">");
        }
        return template.withPermissions(new Permission(pubAllow, pubDeny), new Permission(subAllow, subDeny));
    }

    private static List<String> expand(List<String> list, Values values, boolean failOnBadSubject)
            throws TemplateException {
        boolean found = false;
        for (String entry : list) {
            if (MUSTACHE.matcher(entry).find()) {
                found = true;
                break;
            }
        }
        if (!found) {
            return list;
        }
        List<String> out = new ArrayList<>(list.size());
        for (String entry : list) {
            List<String> sources = new ArrayList<>();
            List<List<String>> options = new ArrayList<>();
            Matcher m = MUSTACHE.matcher(entry);
            while (m.find()) {
                String token = m.group();
                sources.add(token);
                String op = token.substring(2, token.length() - 2).strip();
                List<String> v = valuesOf(entry, op, values, failOnBadSubject);
                options.add(v);
            }
            int combinations = 1;
            for (List<String> v : options) {
                if (combinations > MAX_EXPANSIONS / v.size()) {
                    throw new TemplateException("template expansion exceeds limit: " + MAX_EXPANSIONS);
                }
                combinations *= v.size();
            }
            if (out.size() > MAX_EXPANSIONS - combinations) {
                throw new TemplateException("template expansion exceeds limit: " + MAX_EXPANSIONS);
            }
            int[] index = new int[options.size()];
            for (int c = 0; c < combinations; c++) {
                String subject = entry;
                for (int j = 0; j < sources.size(); j++) {
                    subject = subject.replace(sources.get(j), options.get(j).get(index[j]));
                }
                if (validSubject(subject)) {
                    out.add(subject);
                } else if (failOnBadSubject) {
                    throw new TemplateException("generated invalid subject");
                }
                for (int j = index.length - 1; j >= 0; j--) {
                    if (++index[j] < options.get(j).size()) {
                        break;
                    }
                    index[j] = 0;
                }
            }
        }
        return out;
    }

    private static List<String> valuesOf(String entry, String op, Values values, boolean failOnBadSubject)
            throws TemplateException {
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "name()" -> {
                return List.of(values.userName());
            }
            case "subject()" -> {
                return List.of(values.userKey());
            }
            case "account-name()" -> {
                return List.of(values.accountName());
            }
            case "account-subject()" -> {
                return List.of(values.accountKey());
            }
            default -> {
                // tags below
            }
        }
        List<String> tags;
        String name;
        if (lower.startsWith("tag(") && lower.endsWith(")")) {
            tags = values.userTags();
            name = op.substring(4, op.length() - 1);
        } else if (lower.startsWith("account-tag(") && lower.endsWith(")")) {
            tags = values.accountTags();
            name = op.substring(12, op.length() - 1);
        } else {
            throw new TemplateException("template operation in \"" + entry + "\": \"" + op + "\" is not defined");
        }
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        List<String> found = new ArrayList<>();
        for (String tag : tags) {
            if (tag.startsWith(prefix)) {
                found.add(tag.substring(prefix.length()));
            }
        }
        if (!found.isEmpty()) {
            return found;
        }
        if (failOnBadSubject) {
            throw new TemplateException("generated invalid subject \"" + entry + "\": \"" + name
                    + "\" is not defined");
        }
        return List.of(" ");
    }

    /** A subscribe-style subject, optionally followed by a queue (as permission entries may be). */
    private static boolean validSubject(String subject) {
        return Subjects.isValidSubject(subject);
    }
}
