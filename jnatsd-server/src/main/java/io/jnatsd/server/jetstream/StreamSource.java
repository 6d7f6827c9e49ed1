package io.jnatsd.server.jetstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A mirror's or source's origin ({@code server/stream.go StreamSource}). jnatsd validates these as nats-server does
 * but does not run mirrors and sources yet. Immutable.
 *
 * @param name              the origin stream
 * @param optStartSeq       {@code opt_start_seq}
 * @param optStartTime      {@code opt_start_time} as given (RFC 3339), or null
 * @param filterSubject     {@code filter_subject}
 * @param subjectTransforms {@code subject_transforms}, or null
 * @param external          {@code external}, or null
 * @param consumer          {@code consumer}, or null
 */
// nats-server: stream.go StreamSource
public record StreamSource(@JsonProperty("name") String name,
                           @JsonProperty("opt_start_seq") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                           long optStartSeq,
                           @JsonProperty("opt_start_time") @JsonInclude(JsonInclude.Include.NON_NULL)
                           String optStartTime,
                           @JsonProperty("filter_subject") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                           String filterSubject,
                           @JsonProperty("subject_transforms") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                           List<SubjectTransformConfig> subjectTransforms,
                           @JsonProperty("external") @JsonInclude(JsonInclude.Include.NON_NULL) External external,
                           @JsonProperty("consumer") @JsonInclude(JsonInclude.Include.NON_NULL) Consumer consumer) {

    public StreamSource {
        name = name == null ? "" : name;
        filterSubject = filterSubject == null ? "" : filterSubject;
    }

    /** The transforms, never null. */
    public List<SubjectTransformConfig> transformList() {
        return subjectTransforms == null ? List.of() : subjectTransforms;
    }

    /**
     * The index name that tells two sources of the same stream apart: the stream name with the hashed external API
     * prefix and consumer, then the filter (or transform sources) and destinations ({@code composeIName}).
     */
    // nats-server: stream.go StreamSource.composeIName
    public String indexName() {
        String iName = name;
        if (external != null) {
            iName += ":" + JetStreamHashes.hash(external.api());
        }
        if (consumer != null) {
            iName += ":C=" + JetStreamHashes.hash(consumer.name());
        }
        String source = filterSubject;
        String destination = ">";
        List<SubjectTransformConfig> transforms = transformList();
        if (transforms.isEmpty()) {
            if (source.isEmpty()) {
                source = ">";
            }
        } else {
            StringBuilder sources = new StringBuilder();
            StringBuilder destinations = new StringBuilder();
            for (int i = 0; i < transforms.size(); i++) {
                SubjectTransformConfig t = transforms.get(i);
                sources.append(i == 0 ? "" : "\f").append(t.source().isEmpty() ? ">" : t.source());
                destinations.append(i == 0 ? "" : "\f").append(t.destination().isEmpty() ? ">" : t.destination());
            }
            source = sources.toString();
            destination = destinations.toString();
        }
        return iName + " " + source + " " + destination;
    }

    /** The durable consumer index name: origin (with hashed API prefix) and consumer name ({@code composeCName}). */
    // nats-server: stream.go StreamSource.composeCName
    public String consumerIndexName() {
        String iName = name;
        if (external != null) {
            iName += ":" + JetStreamHashes.hash(external.api());
        }
        return iName + " " + (consumer == null ? "" : consumer.name());
    }

    /**
     * An origin in another domain or account ({@code server/stream.go ExternalStream}).
     *
     * @param api     {@code api}: the API prefix
     * @param deliver {@code deliver}: the delivery prefix
     */
    public record External(@JsonProperty("api") String api, @JsonProperty("deliver") String deliver) {
        public External {
            api = api == null ? "" : api;
            deliver = deliver == null ? "" : deliver;
        }
    }

    /**
     * A pre-made consumer on the origin ({@code server/stream.go StreamConsumerSource}).
     *
     * @param name           {@code name}
     * @param deliverSubject {@code deliver_subject}
     */
    public record Consumer(@JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_EMPTY) String name,
                           @JsonProperty("deliver_subject") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                           String deliverSubject) {
        public Consumer {
            name = name == null ? "" : name;
            deliverSubject = deliverSubject == null ? "" : deliverSubject;
        }
    }
}
