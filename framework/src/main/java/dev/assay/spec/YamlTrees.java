package dev.assay.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link SpecNode} tree with Jackson's streaming YAML parser, keeping the
 * line and column of every key and value. Duplicate keys are errors (YAML 1.2 §3.2.1.1).
 */
public final class YamlTrees {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTrees() {}

    /**
     * Parses one YAML document.
     *
     * @param text the YAML text
     * @param source the file name used in locations
     * @return the root node; an empty document gives a null scalar
     * @throws SpecException on a syntax error, a duplicate key or an integer too large for a long
     */
    public static SpecNode parse(String text, String source) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new SpecNode.ScalarNode(null, new SourceLocation(source, 1, 1));
            }
            return read(p, source, "");
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            SourceLocation at = problemMark(e, source).orElse(l == null ? new SourceLocation(source, 0, 0)
                    : new SourceLocation(source, l.getLineNr(), l.getColumnNr()));
            throw new SpecException(at, "", "invalid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SpecException(new SourceLocation(source, 0, 0), "", "cannot read: " + e);
        }
    }

    /**
     * Where SnakeYAML found the problem (a tab at 6:1), rather than the context Jackson reports
     * (the end of the line before it).
     */
    private static java.util.Optional<SourceLocation> problemMark(Throwable e, String source) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                return java.util.Optional.of(new SourceLocation(source, m.getProblemMark().getLine() + 1,
                        m.getProblemMark().getColumn() + 1));
            }
        }
        return java.util.Optional.empty();
    }

    private static SpecNode read(JsonParser p, String source, String path) throws IOException {
        SourceLocation at = location(p.currentTokenLocation(), source);
        return switch (p.currentToken()) {
            case START_OBJECT -> readMap(p, source, path, at);
            case START_ARRAY -> readList(p, source, path, at);
            case VALUE_STRING -> new SpecNode.ScalarNode(p.getText(), at);
            case VALUE_NUMBER_INT -> new SpecNode.ScalarNode(integer(p, at, path), at);
            case VALUE_NUMBER_FLOAT -> new SpecNode.ScalarNode(floating(p), at);
            case VALUE_TRUE -> new SpecNode.ScalarNode(Boolean.TRUE, at);
            case VALUE_FALSE -> new SpecNode.ScalarNode(Boolean.FALSE, at);
            case VALUE_NULL -> new SpecNode.ScalarNode(null, at);
            default -> throw new SpecException(at, "", "unsupported YAML value " + p.getText());
        };
    }

    /** Jackson cannot convert YAML's {@code .inf}/{@code .nan}; keep their text for coercion. */
    private static Object floating(JsonParser p) throws IOException {
        try {
            return p.getDoubleValue();
        } catch (JsonProcessingException e) {
            return p.getText();
        }
    }

    /** A whole number as a long; one beyond a long is refused naming its key (it named none). */
    private static Object integer(JsonParser p, SourceLocation at, String path) throws IOException {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            BigInteger big = p.getBigIntegerValue();
            throw new SpecException(at, path, "integer " + big + " is too large");
        }
        return p.getLongValue();
    }

    private static SpecNode readMap(JsonParser p, String source, String path, SourceLocation at)
            throws IOException {
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        Map<String, SourceLocation> keys = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            SourceLocation keyAt = location(p.currentTokenLocation(), source);
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (entries.containsKey(key)) {
                throw new SpecException(keyAt, keyPath, "duplicate key (first at line "
                        + keys.get(key).line() + ")");
            }
            p.nextToken();
            keys.put(key, keyAt);
            entries.put(key, read(p, source, keyPath));
        }
        return new SpecNode.MapNode(entries, keys, at);
    }

    private static SpecNode readList(JsonParser p, String source, String path, SourceLocation at)
            throws IOException {
        List<SpecNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(p, source, path + "[" + items.size() + "]"));
        }
        return new SpecNode.ListNode(items, at);
    }

    private static SourceLocation location(JsonLocation l, String source) {
        return new SourceLocation(source, l.getLineNr(), l.getColumnNr());
    }
}
