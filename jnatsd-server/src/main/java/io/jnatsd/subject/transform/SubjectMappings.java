package io.jnatsd.subject.transform;

import io.jnatsd.common.GoQuote;
import io.jnatsd.subject.Subjects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An account's subject mappings: for each source subject (literal or with wildcards), weighted destinations, optionally
 * scoped to a cluster name. A published subject takes the first mapping whose source matches it, then one of its
 * destinations at random by weight; when the configured weights total less than 100 the remainder keeps the subject
 * unchanged, unless the source was listed as a destination itself, in which case the remainder drops the message.
 * <p>
 * Immutable and thread-safe: {@link #with} and {@link #without} return new instances, so an account swaps a whole
 * snapshot atomically (configuration load or reload) while publishers keep reading the old one. Behaviour of
 * nats-server {@code server/accounts.go} ({@code AddWeightedMappings}, {@code RemoveMapping},
 * {@code selectMappedSubject}).
 */
public final class SubjectMappings {

    /**
     * One configured destination (nats-server's {@code MapDest}).
     *
     * @param subject     the destination, a transform of the source (empty: the message is dropped)
     * @param weightPercent share of messages in percent, 0..100
     * @param cluster     the cluster name this destination applies to; empty for every cluster
     */
    public record Destination(String subject, int weightPercent, String cluster) {

        /** A destination taking every message, in every cluster. */
        public static Destination of(String subject) {
            return new Destination(subject, 100, "");
        }
    }

    /** A destination ready for selection: its transform (null drops) and the cumulative weight up to it. */
    private record Choice(SubjectTransform transform, int cumulativePercent) {
    }

    private record Mapping(String source, boolean wildcard, List<Destination> configured, Choice[] choices,
                           Map<String, Choice[]> clusterChoices) {
    }

    /** No mappings. */
    public static final SubjectMappings EMPTY = new SubjectMappings(new Mapping[0]);

    private static final String[] NO_TOKENS = {};

    private final Mapping[] mappings;

    private SubjectMappings(Mapping[] mappings) {
        this.mappings = mappings;
    }

    /**
     * These mappings plus {@code source} mapped to {@code destinations}; a mapping with the same source is replaced in
     * place, otherwise the new one goes last.
     *
     * @throws InvalidMappingException with nats-server's error text
     */
    // nats-server: accounts.go Account.AddWeightedMappings
    public SubjectMappings with(String source, List<Destination> destinations) throws InvalidMappingException {
        if (!Subjects.isValidSubject(source)) {
            throw new InvalidMappingException("invalid subject");
        }
        boolean wildcard = !Subjects.subjectIsLiteral(source);
        Set<String> seen = new HashSet<>();
        Map<String, Integer> totalPercent = new HashMap<>();
        List<Weighted> plain = new ArrayList<>();
        Map<String, List<Weighted>> byCluster = new LinkedHashMap<>();
        for (Destination d : destinations) {
            if (!seen.add(d.subject())) {
                throw new InvalidMappingException("duplicate entry for " + GoQuote.quote(d.subject()));
            }
            if (d.weightPercent() > 100) {
                throw new InvalidMappingException("individual weights need to be <= 100");
            }
            if (totalPercent.merge(d.cluster(), d.weightPercent(), Integer::sum) > 100) {
                throw new InvalidMappingException("total weight needs to be <= 100");
            }
            SubjectTransform transform;
            try {
                SubjectTransform.validateMapping(source, d.subject());
                transform = SubjectTransform.compile(source, d.subject());
            } catch (SubjectTransformException e) {
                throw new InvalidMappingException(e.getMessage(), e);
            }
            Weighted w = new Weighted(transform, d.weightPercent());
            if (d.cluster().isEmpty()) {
                plain.add(w);
            } else {
                byCluster.computeIfAbsent(d.cluster(), c -> new ArrayList<>()).add(w);
            }
        }
        boolean sourceListed = seen.contains(source);
        Map<String, Choice[]> clusterChoices = new HashMap<>();
        for (Map.Entry<String, List<Weighted>> e : byCluster.entrySet()) {
            clusterChoices.put(e.getKey(), choices(source, wildcard, sourceListed, e.getValue()));
        }
        Mapping mapping = new Mapping(source, wildcard, List.copyOf(destinations),
                choices(source, wildcard, sourceListed, plain), Map.copyOf(clusterChoices));
        Mapping[] next;
        int existing = indexOf(source);
        if (existing >= 0) {
            next = mappings.clone();
            next[existing] = mapping;
        } else {
            next = Arrays.copyOf(mappings, mappings.length + 1);
            next[mappings.length] = mapping;
        }
        return new SubjectMappings(next);
    }

    /** {@link #with(String, List)} with one destination taking every message. */
    // nats-server: accounts.go Account.AddMapping
    public SubjectMappings with(String source, String destination) throws InvalidMappingException {
        return with(source, List.of(Destination.of(destination)));
    }

    /** These mappings without the one for {@code source} (the last mapping moves into its place, as in nats-server). */
    // nats-server: accounts.go Account.RemoveMapping
    public SubjectMappings without(String source) {
        int i = indexOf(source);
        if (i < 0) {
            return this;
        }
        Mapping[] next = Arrays.copyOf(mappings, mappings.length - 1);
        if (i < next.length) {
            next[i] = mappings[mappings.length - 1];
        }
        return new SubjectMappings(next);
    }

    private record Weighted(SubjectTransform transform, int percent) {
    }

    // nats-server: accounts.go AddWeightedMappings processDestinations
    private static Choice[] choices(String source, boolean wildcard, boolean sourceListed, List<Weighted> given)
            throws InvalidMappingException {
        List<Weighted> all = new ArrayList<>(given);
        int total = given.stream().mapToInt(Weighted::percent).sum();
        if (total != 100 && !sourceListed) {
            String identity = wildcard ? numberWildcards(source) : source;
            try {
                all.add(new Weighted(SubjectTransform.compile(source, identity), given.isEmpty() ? 100 : 100 - total));
            } catch (SubjectTransformException e) {
                throw new InvalidMappingException(e.getMessage(), e);
            }
        }
        all.sort(Comparator.comparingInt(Weighted::percent));
        Choice[] choices = new Choice[all.size()];
        int cumulative = 0;
        for (int i = 0; i < choices.length; i++) {
            cumulative += all.get(i).percent();
            choices[i] = new Choice(all.get(i).transform(), cumulative);
        }
        return choices;
    }

    /** {@code foo.*.*} becomes {@code foo.$1.$2}: the identity transform of a wildcard source. */
    // nats-server: subject_transform.go transformTokenize
    private static String numberWildcards(String source) {
        StringBuilder sb = new StringBuilder(source.length() + 8);
        int ordinal = 1;
        for (String token : SubjectTransform.tokenize(source)) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(token.equals("*") ? "$" + ordinal++ : token);
        }
        return sb.toString();
    }

    private int indexOf(String source) {
        for (int i = 0; i < mappings.length; i++) {
            if (mappings[i].source.equals(source)) {
                return i;
            }
        }
        return -1;
    }

    public boolean isEmpty() {
        return mappings.length == 0;
    }

    /** The configured mappings in selection order: source to its destinations as given. */
    public Map<String, List<Destination>> destinations() {
        Map<String, List<Destination>> view = new LinkedHashMap<>();
        for (Mapping m : mappings) {
            view.put(m.source, m.configured);
        }
        return view;
    }

    /**
     * The subject a publish on {@code subject} goes to.
     *
     * @param clusterName this server's cluster name, empty when not clustered
     * @return the mapped subject; the empty string when the message is dropped; null when no mapping applies
     */
    public String select(String subject, String clusterName) {
        return select(subject, clusterName, ThreadLocalRandom.current().nextInt(100));
    }

    /** {@link #select(String, String)} with the random draw (0..99) given. */
    // nats-server: accounts.go Account.selectMappedSubject
    String select(String subject, String clusterName, int drawPercent) {
        String[] tokens = NO_TOKENS;
        Mapping match = null;
        for (Mapping m : mappings) {
            if (!m.wildcard && m.source.equals(subject)) {
                match = m;
                break;
            }
            if (tokens.length == 0) {
                tokens = SubjectTransform.tokenize(subject);
            }
            if (Subjects.subjectMatchesFilter(subject, m.source)) {
                match = m;
                break;
            }
        }
        if (match == null) {
            return null;
        }
        Choice[] choices = match.choices;
        if (!match.clusterChoices.isEmpty()) {
            Choice[] local = match.clusterChoices.get(clusterName);
            if (local != null) {
                choices = local;
            }
        }
        Choice chosen = null;
        if (choices.length == 1 && choices[0].cumulativePercent == 100) {
            chosen = choices[0];
        } else {
            for (Choice c : choices) {
                if (drawPercent < c.cumulativePercent) {
                    chosen = c;
                    break;
                }
            }
        }
        if (chosen == null || chosen.transform == null) {
            return "";
        }
        // nats-server quirk kept: a literal mapping matched first sees no tokens, so partition(n) hashes "".
        return chosen.transform.apply(tokens, tokens.length);
    }

    @Override
    public String toString() {
        return destinations().toString();
    }
}
