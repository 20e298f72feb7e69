package dev.assay.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the position it was read from: a map, a list or a scalar. Trees are immutable;
 * {@link #with(List, SpecNode, SourceLocation)} returns a modified copy. Keeping positions lets
 * every error, including one in a swept value, point at its line and column.
 */
public sealed interface SpecNode permits SpecNode.MapNode, SpecNode.ListNode, SpecNode.ScalarNode {

    /**
     * Returns where the value starts.
     *
     * @return the location
     */
    SourceLocation location();

    /**
     * Converts to plain Java values: {@code Map}, {@code List}, {@code String}, {@code Long},
     * {@code Double}, {@code Boolean} or null.
     *
     * @return the plain value
     */
    Object toPlain();

    /**
     * Returns a copy with the value at {@code path} replaced, creating maps on the way.
     *
     * @param path the keys from this node down
     * @param value the new value
     * @param keyLocation the location recorded for keys that are created
     * @return the modified copy
     * @throws SpecException if the path runs through a scalar or a list
     */
    default SpecNode with(List<String> path, SpecNode value, SourceLocation keyLocation) {
        if (path.isEmpty()) {
            return value;
        }
        if (!(this instanceof MapNode map)) {
            throw new SpecException(location(), "", "cannot set '" + String.join(".", path)
                    + "' inside a value that is not a map");
        }
        String key = path.get(0);
        SpecNode child = map.entries().get(key);
        SpecNode base = child == null ? new MapNode(Map.of(), Map.of(), keyLocation) : child;
        if (path.size() > 1 && !(base instanceof MapNode)) {
            throw new SpecException(base.location(), key, "cannot set '"
                    + String.join(".", path.subList(1, path.size())) + "' inside a "
                    + (base instanceof ListNode ? "list" : "scalar"));
        }
        Map<String, SpecNode> entries = new LinkedHashMap<>(map.entries());
        Map<String, SourceLocation> keys = new LinkedHashMap<>(map.keyLocations());
        entries.put(key, base.with(path.subList(1, path.size()), value, keyLocation));
        keys.putIfAbsent(key, keyLocation);
        return new MapNode(entries, keys, map.location());
    }

    /**
     * A mapping, keys in file order.
     *
     * @param entries values by key
     * @param keyLocations where each key is written
     * @param location where the mapping starts
     */
    record MapNode(
            Map<String, SpecNode> entries,
            Map<String, SourceLocation> keyLocations,
            SourceLocation location)
            implements SpecNode {

        /** Copies the maps, keeping their order. */
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocations = Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
        }

        @Override
        public Object toPlain() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k, v.toPlain()));
            return out;
        }

        /**
         * Returns where a key is written, or the map's own location if the key is absent.
         *
         * @param key the key
         * @return the location
         */
        public SourceLocation keyLocation(String key) {
            return keyLocations.getOrDefault(key, location);
        }
    }

    /**
     * A sequence.
     *
     * @param items the items in order
     * @param location where the sequence starts
     */
    record ListNode(List<SpecNode> items, SourceLocation location) implements SpecNode {

        /** Copies the items. */
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public Object toPlain() {
            List<Object> out = new ArrayList<>(items.size());
            items.forEach(i -> out.add(i.toPlain()));
            return out;
        }
    }

    /**
     * A scalar: {@code String}, {@code Long}, {@code Double}, {@code Boolean} or null.
     *
     * @param value the value
     * @param location where it is written
     */
    record ScalarNode(Object value, SourceLocation location) implements SpecNode {

        @Override
        public Object toPlain() {
            return value;
        }
    }
}
