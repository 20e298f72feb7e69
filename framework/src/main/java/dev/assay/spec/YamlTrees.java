package dev.assay.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link SpecNode} tree with Jackson's streaming YAML parser, keeping the
 * line and column of every key and value. Duplicate keys are errors (YAML 1.2 §3.2.1.1).
 *
 * <p>Anchors and aliases (YAML 1.2 §3.2.2.2, §7.1): a value marked {@code &name} can be repeated
 * as {@code *name} after it; the alias stands for the anchored node itself, which keeps the
 * anchor's locations (errors in it point where its text is). An alias to no anchor defined
 * before it is an error at the alias. Merge keys ({@code <<: *defaults} or {@code <<: [*a, *b]},
 * the YAML 1.1 merge-key type that YAML 1.2 tools keep supporting) copy the keys of the aliased
 * mappings that the mapping does not set itself, the first listed winning. Jackson's parser hands
 * an alias over as a string holding the anchor's name, which read as that name before (an
 * experiment named {@code d} for {@code name: *d}). A file holds one document: a second
 * ({@code ---}) is an error at its start rather than ignored.
 */
public final class YamlTrees {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    /** The YAML 1.1 merge key. */
    static final String MERGE_KEY = "<<";

    /**
     * The most values a file may hold with its aliases expanded: an experiment needs hundreds, and a
     * "billion laughs" file (ten aliases of ten aliases of ... a list) ran the CLI out of memory after
     * 73 s. SnakeYAML's own loader caps aliases the same way ({@code maxAliasesForCollections}).
     */
    static final long MAX_EXPANDED_VALUES = 100_000;

    private final String source;
    private final Map<Long, String> anchorsAt;
    private final Map<String, SpecNode> anchors = new java.util.HashMap<>();
    /** Each node's count of values with its aliases expanded (nodes are shared by their aliases). */
    private final Map<SpecNode, Long> expanded = new java.util.IdentityHashMap<>();

    private YamlTrees(String source, Map<Long, String> anchorsAt) {
        this.source = source;
        this.anchorsAt = anchorsAt;
    }

    /**
     * The anchors of the text's nodes by the offset where each node starts. Jackson's parser keeps
     * the anchor of a mapping or list but drops that of a scalar ({@code a: &k 1}), so they are read
     * from SnakeYAML's events (the parser Jackson itself runs on; events only, nothing is
     * constructed), whose marks are the ones Jackson's token locations come from.
     */
    private static Map<Long, String> anchorsAt(String text) {
        if (text.indexOf('&') < 0) {
            return Map.of();
        }
        Map<Long, String> out = new java.util.HashMap<>();
        try {
            for (org.yaml.snakeyaml.events.Event e : new org.yaml.snakeyaml.Yaml().parse(new java.io.StringReader(text))) {
                if (e instanceof org.yaml.snakeyaml.events.NodeEvent node && !(e instanceof org.yaml.snakeyaml.events.AliasEvent)
                        && node.getAnchor() != null) {
                    out.put((long) e.getStartMark().getIndex(), node.getAnchor());
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // the same text fails Jackson's pass, which reports it with its position
        }
        return out;
    }

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
            SpecNode root = new YamlTrees(source, anchorsAt(text)).read(p, "");
            JsonToken next = p.nextToken();
            if (next == JsonToken.VALUE_NULL && p.nextToken() == null) {
                return root; // a lone '---' at the end starts an empty document: nothing follows
            }
            if (next != null) {
                throw new SpecException(location(p.currentTokenLocation(), source), "", "a second YAML document"
                        + " starts here; an experiment file holds one document (remove the '---' and what follows,"
                        + " or put each experiment in a file of its own)");
            }
            return root;
        } catch (JsonProcessingException e) {
            java.util.Optional<SpecException> overIndented = marked(e).flatMap(m -> OverIndentation.explain(text, m, source));
            if (overIndented.isPresent()) {
                throw overIndented.get();
            }
            JsonLocation l = e.getLocation();
            SourceLocation at = problemMark(e, source).orElse(l == null ? new SourceLocation(source, 0, 0)
                    : new SourceLocation(source, l.getLineNr(), l.getColumnNr()));
            String message = String.valueOf(e.getOriginalMessage());
            if (message.contains("AliasEvent")) { // "got this instead: <org.yaml.snakeyaml.events.AliasEvent(anchor=k)>"
                throw new SpecException(at, "", "an alias cannot be a mapping key here (Jackson's YAML reader"
                        + " does not take one); write the key out in full");
            }
            if (message.contains("\\t(TAB)")) { // said "Do not use \t for indentation" of a tab after a colon too
                message = "a tab character here: YAML indents with spaces only, and this reader (YAML 1.1) takes"
                        + " no tab after ':' or inside [ ] and { } either; use spaces. The parser said: " + message;
            }
            throw new SpecException(at, "", "invalid YAML: " + message);
        } catch (IOException e) {
            throw new SpecException(new SourceLocation(source, 0, 0), "", "cannot read: " + e);
        }
    }

    /**
     * Where SnakeYAML found the problem (a tab at 6:1), rather than the context Jackson reports
     * (the end of the line before it).
     */
    private static java.util.Optional<SourceLocation> problemMark(Throwable e, String source) {
        return marked(e).map(m -> new SourceLocation(source,
                m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1));
    }

    /** SnakeYAML's exception behind Jackson's, with the problem and the mark where it was found. */
    private static java.util.Optional<org.yaml.snakeyaml.error.MarkedYAMLException> marked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                return java.util.Optional.of(m);
            }
        }
        return java.util.Optional.empty();
    }

    private SpecNode read(JsonParser p, String path) throws IOException {
        SourceLocation at = location(p.currentTokenLocation(), source);
        if (p.currentToken() == JsonToken.VALUE_STRING && p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            SpecNode target = anchors.get(p.getText());
            if (target == null) {
                throw new SpecException(at, path, "alias *" + p.getText() + " refers to no anchor &" + p.getText()
                        + " defined before it" + (anchors.isEmpty() ? "" : " (anchors so far: "
                        + String.join(", ", new java.util.TreeSet<>(anchors.keySet())) + ")"));
            }
            return target;
        }
        String anchor = anchorsAt.get(p.currentTokenLocation().getCharOffset());
        SpecNode node = switch (p.currentToken()) {
            case START_OBJECT -> readMap(p, path, at);
            case START_ARRAY -> readList(p, path, at);
            case VALUE_STRING -> new SpecNode.ScalarNode(p.getText(), at);
            case VALUE_NUMBER_INT -> new SpecNode.ScalarNode(integer(p, at, path), at);
            case VALUE_NUMBER_FLOAT -> new SpecNode.ScalarNode(floating(p), at);
            case VALUE_TRUE -> new SpecNode.ScalarNode(Boolean.TRUE, at);
            case VALUE_FALSE -> new SpecNode.ScalarNode(Boolean.FALSE, at);
            case VALUE_NULL -> new SpecNode.ScalarNode(null, at);
            default -> throw new SpecException(at, "", "unsupported YAML value " + p.getText());
        };
        if (anchor != null) {
            anchors.put(anchor, node); // a later anchor of the same name replaces it (YAML 1.2 §7.1)
        }
        return counted(node, path);
    }

    /** Records a node's expanded size, refusing one past {@link #MAX_EXPANDED_VALUES}. */
    private SpecNode counted(SpecNode node, String path) {
        long size = 1;
        if (node instanceof SpecNode.MapNode map) {
            for (SpecNode child : map.entries().values()) {
                size += expanded.getOrDefault(child, 1L);
            }
        } else if (node instanceof SpecNode.ListNode list) {
            for (SpecNode child : list.items()) {
                size += expanded.getOrDefault(child, 1L);
            }
        }
        if (size > MAX_EXPANDED_VALUES) {
            throw new SpecException(node.location(), path, "with its aliases expanded this value holds more than "
                    + String.format(java.util.Locale.ROOT, "%,d", MAX_EXPANDED_VALUES) + " values (aliases of"
                    + " aliases multiply); an experiment needs far fewer, so the file is refused");
        }
        expanded.put(node, size);
        return node;
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

    private SpecNode readMap(JsonParser p, String path, SourceLocation at) throws IOException {
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        Map<String, SourceLocation> keys = new LinkedHashMap<>();
        List<SpecNode.MapNode> merged = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            SourceLocation keyAt = location(p.currentTokenLocation(), source);
            String keyPath = path.isEmpty() ? key : path + "." + key;
            if (entries.containsKey(key) || key.equals(MERGE_KEY) && keys.containsKey(key)) {
                throw new SpecException(keyAt, keyPath, "duplicate key (first at line "
                        + keys.get(key).line() + ")");
            }
            p.nextToken();
            keys.put(key, keyAt);
            SpecNode value = read(p, keyPath);
            if (key.equals(MERGE_KEY)) { // its location stays in keys until the end, to refuse a second one
                merged.addAll(mergeSources(value, keyPath));
            } else {
                entries.put(key, value);
            }
        }
        keys.remove(MERGE_KEY);
        for (SpecNode.MapNode source : merged) { // the mapping's own keys win, then the first source listed
            source.entries().forEach((key, value) -> {
                if (!entries.containsKey(key)) {
                    entries.put(key, value);
                    keys.put(key, source.keyLocation(key));
                }
            });
        }
        return new SpecNode.MapNode(entries, keys, at);
    }

    /** The mappings a merge key's value names: one mapping, or a list of them. */
    private static List<SpecNode.MapNode> mergeSources(SpecNode value, String path) {
        List<SpecNode> items = value instanceof SpecNode.ListNode list ? list.items() : List.of(value);
        List<SpecNode.MapNode> maps = new ArrayList<>();
        for (SpecNode item : items) {
            if (!(item instanceof SpecNode.MapNode map)) {
                throw new SpecException(item.location(), path, "a merge key ('<<') takes a mapping or a list of"
                        + " mappings (usually aliases: '<<: *defaults'), got " + describe(item));
            }
            maps.add(map);
        }
        return maps;
    }

    private static String describe(SpecNode node) {
        return node instanceof SpecNode.ListNode ? "a list" : node instanceof SpecNode.ScalarNode s
                ? "the scalar '" + s.value() + "'" : "a mapping";
    }

    private SpecNode readList(JsonParser p, String path, SourceLocation at) throws IOException {
        List<SpecNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(p, path + "[" + items.size() + "]"));
        }
        return new SpecNode.ListNode(items, at);
    }

    private static SourceLocation location(JsonLocation l, String source) {
        return new SourceLocation(source, l.getLineNr(), l.getColumnNr());
    }
}
