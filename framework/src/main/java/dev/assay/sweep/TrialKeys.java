package dev.assay.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Trial keys: the first 16 hex digits (64 bits) of the SHA-256 of the resolved configuration as
 * canonical JSON (map keys sorted, values already coerced to their declared types, so {@code 1e-3}
 * and {@code 0.001} give the same key). The seed is part of the configuration
 * ({@code training.seed}), so it is part of the key.
 */
public final class TrialKeys {

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private TrialKeys() {}

    /**
     * Computes the key of a resolved configuration.
     *
     * @param resolved the configuration as nested maps/lists/scalars
     * @return 16 lowercase hex digits
     * @throws IllegalArgumentException if the configuration cannot be written as JSON
     * @throws IllegalStateException if the JVM offers no SHA-256 (every Java SE JVM must)
     */
    public static String of(Map<String, Object> resolved) {
        try {
            byte[] json = CANONICAL.writeValueAsString(resolved).getBytes(StandardCharsets.UTF_8);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("configuration is not serializable: " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Returns the canonical JSON the key is computed from.
     *
     * @param resolved the configuration
     * @return JSON with sorted keys
     * @throws IllegalArgumentException if it cannot be serialized
     */
    public static String canonicalJson(Map<String, Object> resolved) {
        try {
            return CANONICAL.writeValueAsString(resolved);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("configuration is not serializable: " + e, e);
        }
    }
}
