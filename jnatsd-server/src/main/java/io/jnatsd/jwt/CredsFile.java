package io.jnatsd.jwt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code .creds} file, or any decorated JWT text ({@code creds_utils.go}): armoured blocks whose first holds the
 * JWT and second the seed. Text without armour is taken as the bare JWT. Immutable.
 *
 * @param jwt  the user JWT
 * @param seed the nkey seed, or empty when the text has none
 */
public record CredsFile(String jwt, String seed) {

    // nats-io/jwt: creds_utils.go userConfigRE
    private static final Pattern BLOCK = Pattern.compile(
            "\\s*(?:(?:-{3,}.*-{3,}\\r?\\n)([\\w\\-.=]+)(?:\\r?\\n-{3,}.*-{3,}(\\r?\\n|\\z)))");

    /**
     * Parses decorated text: the first armoured block is the JWT, the second the seed; without blocks the whole
     * (trimmed) text is the JWT; a seed not in a block is found as the first line starting {@code SO}, {@code SA}
     * or {@code SU}.
     */
    // nats-io/jwt: creds_utils.go ParseDecoratedJWT, ParseDecoratedNKey
    public static CredsFile parse(String text) {
        List<String> blocks = new ArrayList<>(2);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        String jwt = blocks.isEmpty() ? text.trim() : blocks.getFirst();
        String seed = "";
        if (blocks.size() > 1) {
            seed = blocks.get(1);
        } else {
            for (String line : text.split("\\r?\\n")) {
                String t = line.trim();
                if (t.startsWith("SO") || t.startsWith("SA") || t.startsWith("SU")) {
                    seed = t;
                    break;
                }
            }
        }
        return new CredsFile(jwt, seed);
    }

    /** The text {@code nsc} writes for a user: decorated JWT, the warning, decorated seed. */
    // nats-io/jwt: creds_utils.go FormatUserConfig
    public String format() {
        return decorate("NATS USER JWT", jwt) + "\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n"
                + decorate("USER NKEY SEED", seed) + "\n"
                + "*************************************************************\n";
    }

    /** {@code -----BEGIN <label>-----}, the value, {@code ------END <label>------}, each on its own line. */
    public static String decorate(String label, String value) {
        return "-----BEGIN " + label + "-----\n" + value + "\n------END " + label + "------\n";
    }

    @Override
    public String toString() {
        return "CredsFile[jwt=" + jwt + ", seed=" + (seed.isEmpty() ? "" : "[REDACTED]") + "]";
    }
}
