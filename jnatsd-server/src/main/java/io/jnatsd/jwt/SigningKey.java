package io.jnatsd.jwt;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jnatsd.common.GoJson;

import java.util.Objects;

/**
 * One of an account's signing keys ({@code signingkeys.go}): a plain account public key, written as a string, or a
 * user scope, written as {@code {"kind":"user_scope","key":...,"role":...,"template":{...},"description":...}},
 * whose template replaces the permissions and limits of every user it signs. Immutable.
 *
 * @param key         the account public key ({@code A...})
 * @param scoped      whether this is a user scope
 * @param role        the scope's role
 * @param template    the scope's permissions and limits (null when not scoped)
 * @param description the scope's description
 */
public record SigningKey(String key, boolean scoped, String role, UserClaims template, String description) {

    /** The only scope kind nats-io/jwt knows. */
    public static final String USER_SCOPE = "user_scope";

    public SigningKey {
        Objects.requireNonNull(key, "key");
        role = Objects.requireNonNullElse(role, "");
        description = Objects.requireNonNullElse(description, "");
    }

    /** A plain signing key. */
    public static SigningKey of(String key) {
        return new SigningKey(key, false, "", null, "");
    }

    /** A user scope whose users get {@code template}. */
    public static SigningKey scope(String key, String role, UserClaims template) {
        return new SigningKey(key, true, role, template, "");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SigningKey fromJson(JsonNode node) throws java.io.IOException {
        if (node.isTextual()) {
            return of(node.asText());
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("signing key must be a string or a scope object");
        }
        String kind = node.path("kind").asText("");
        if (!USER_SCOPE.equals(kind)) {
            throw new IllegalArgumentException("unknown scope type \"" + kind + "\"");
        }
        JsonNode template = node.get("template");
        UserClaims t = template == null || template.isNull() ? UserClaims.empty()
                : GoJson.mapper().treeToValue(template, UserClaims.class);
        return new SigningKey(node.path("key").asText(""), true, node.path("role").asText(""), t,
                node.path("description").asText(""));
    }

    @JsonValue
    JsonNode toJson() {
        if (!scoped) {
            return JsonNodeFactory.instance.textNode(key);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", USER_SCOPE);
        node.put("key", key);
        node.put("role", role);
        node.set("template", GoJson.mapper().valueToTree(template == null ? UserClaims.empty() : template));
        node.put("description", description);
        return node;
    }
}
