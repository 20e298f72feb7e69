package dev.assay.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an experiment file: YAML syntax, the top-level keys, {@code name}, {@code description}
 * and the {@code sweep} section. The configuration sections are checked per trial by
 * {@link SpecBinder} when the sweep is planned, so values set by the sweep are checked too.
 */
public final class SpecLoader {

    /** The keys allowed at the top of an experiment file. */
    public static final List<String> TOP_LEVEL =
            List.of("name", "description", "dataset", "model", "task", "training", "sweep");

    private static final List<String> SWEEP_KEYS = List.of("strategy", "parameters", "variants", "repeat");

    private SpecLoader() {}

    /**
     * Loads and checks an experiment file.
     *
     * @param file the YAML file
     * @param overrides command-line overrides {@code path=value}
     * @return the experiment spec
     * @throws SpecException if the file is missing, unreadable, not valid YAML, or has a bad key
     *     or value in the parts checked here
     */
    public static ExperimentSpec load(Path file, List<String> overrides) {
        return load(file, new ExperimentSpec.Arguments(overrides, List.of()));
    }

    /**
     * Loads and checks an experiment file with command-line overrides and sweep axes.
     *
     * @param file the YAML file
     * @param arguments {@code path=value} overrides and {@code path=v1,v2} sweep axes; a sweep
     *     axis replaces the file's axis on the same path, or is added after the file's axes
     * @return the experiment spec
     * @throws SpecException if the file is missing, unreadable, not valid YAML, or has a bad key
     *     or value in the parts checked here, or an argument is malformed
     */
    public static ExperimentSpec load(Path file, ExperimentSpec.Arguments arguments) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SpecException(new SourceLocation(file.toString(), 0, 0), "",
                    "experiment file not found");
        } catch (IOException e) {
            throw new SpecException(new SourceLocation(file.toString(), 0, 0), "",
                    "cannot read experiment file: " + e.getMessage());
        }
        return parse(text, file.toString(), arguments);
    }

    /**
     * Parses experiment YAML given as text.
     *
     * @param text the YAML
     * @param source the name used in error locations
     * @param overrides command-line overrides {@code path=value}
     * @return the experiment spec
     * @throws SpecException on the first problem found
     */
    public static ExperimentSpec parse(String text, String source, List<String> overrides) {
        return parse(text, source, new ExperimentSpec.Arguments(overrides, List.of()));
    }

    /**
     * Parses experiment YAML given as text, with command-line overrides and sweep axes.
     *
     * @param text the YAML
     * @param source the name used in error locations
     * @param arguments overrides and sweep axes (see {@link #load(Path, ExperimentSpec.Arguments)})
     * @return the experiment spec
     * @throws SpecException on the first problem found
     */
    public static ExperimentSpec parse(String text, String source, ExperimentSpec.Arguments arguments) {
        SpecNode root = YamlTrees.parse(text, source);
        if (!(root instanceof SpecNode.MapNode map)) {
            throw new SpecException(root.location(), "",
                    "an experiment file must be a mapping with keys " + TOP_LEVEL);
        }
        SpecBinder.checkTopLevel(map, TOP_LEVEL);
        String name = name(map);
        SpecNode desc = map.entries().get("description");
        String description = desc == null || desc.toPlain() == null ? "" : String.valueOf(desc.toPlain());
        SweepSpec sweep = withAxes(sweep(map.entries().get("sweep")), arguments.sweeps());
        List<Assignment> parsed = arguments.overrides().stream().map(Assignment::parse).toList();
        Map<String, SpecNode> sections = new LinkedHashMap<>(map.entries());
        sections.keySet().retainAll(SpecBinder.SECTIONS);
        SpecNode base = new SpecNode.MapNode(sections, map.keyLocations(), map.location());
        for (Map.Entry<List<String>, String> shorthand : SHORTHANDS.entrySet()) {
            base = expandShorthand(base, shorthand.getKey(), shorthand.getValue());
        }
        return new ExperimentSpec(name, description, (SpecNode.MapNode) base, sweep, parsed, source,
                arguments);
    }

    /** Sections that may be written as just a name, e.g. {@code task: classification}. */
    private static final Map<List<String>, String> SHORTHANDS = Map.of(
            List.of("dataset"), "name", List.of("model"), "architecture", List.of("task"), "name",
            List.of("training", "optimizer"), "name",
            List.of("training", "optimizer", "schedule"), "name");

    /**
     * Rewrites {@code section: NAME} as {@code section: {name: NAME}} ({@code architecture} for
     * {@code model}) so that dotted paths such as
     * {@code task.name} or {@code training.optimizer.learning_rate} can be set on either form.
     */
    private static SpecNode expandShorthand(SpecNode root, List<String> path, String nameKey) {
        SpecNode node = root;
        for (String key : path) {
            if (!(node instanceof SpecNode.MapNode m) || !m.entries().containsKey(key)) {
                return root;
            }
            node = m.entries().get(key);
        }
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String) {
            SpecNode.MapNode expanded = new SpecNode.MapNode(Map.of(nameKey, s),
                    Map.of(nameKey, s.location()), s.location());
            return root.with(path, expanded, s.location());
        }
        return root;
    }

    private static String name(SpecNode.MapNode map) {
        SpecNode node = map.entries().get("name");
        if (node == null) {
            throw new SpecException(map.location(), "name", "required key is missing");
        }
        if (node instanceof SpecNode.ScalarNode s && s.value() != null
                && !String.valueOf(s.value()).isBlank() && !(s.value() instanceof Boolean)) {
            return String.valueOf(s.value());
        }
        throw new SpecException(node.location(), "name", "expected a non-empty experiment name");
    }

    private static SweepSpec sweep(SpecNode node) {
        if (node == null || node.toPlain() == null) {
            return SweepSpec.single();
        }
        SpecNode.MapNode map = SpecBinder.asMap(node, "sweep");
        SpecBinder.checkTopLevelKeys(map, "sweep", SWEEP_KEYS);
        String strategy = "grid";
        SpecNode s = map.entries().get("strategy");
        if (s != null && !"grid".equals(s.toPlain())) {
            throw new SpecException(s.location(), "sweep.strategy", "unsupported strategy '"
                    + s.toPlain() + "'; supported: grid");
        }
        int repeat = repeat(map.entries().get("repeat"));
        return new SweepSpec(strategy, parameters(map.entries().get("parameters")),
                variants(map.entries().get("variants")), repeat);
    }

    /**
     * Adds or replaces grid axes from {@code --sweep path=v1,v2,...} arguments; the values are read
     * as a YAML flow list, so {@code a=0.1,1e-3} gives two numbers and {@code h=[8,4],[16]} two
     * lists.
     */
    private static SweepSpec withAxes(SweepSpec sweep, List<String> arguments) {
        if (arguments.isEmpty()) {
            return sweep;
        }
        Map<String, List<SpecNode>> axes = new LinkedHashMap<>(sweep.parameters());
        for (String argument : arguments) {
            Assignment a = Assignment.parse(argument.replaceFirst("=", "=[") + "]");
            if (!(a.value() instanceof SpecNode.ListNode list) || list.items().isEmpty()) {
                throw new SpecException(SourceLocation.argument("--sweep " + argument), a.path(),
                        "expected comma-separated values, e.g. --sweep " + a.path() + "=0.1,0.01");
            }
            axes.put(a.path(), list.items());
        }
        return new SweepSpec(sweep.strategy(), axes, sweep.variants(), sweep.repeat());
    }

    private static int repeat(SpecNode node) {
        if (node == null) {
            return 1;
        }
        if (node.toPlain() instanceof Long l && l >= 1 && l <= 10_000) {
            return l.intValue();
        }
        throw new SpecException(node.location(), "sweep.repeat",
                "expected an integer in [1, 10000], got " + node.toPlain());
    }

    private static Map<String, List<SpecNode>> parameters(SpecNode node) {
        Map<String, List<SpecNode>> out = new LinkedHashMap<>();
        if (node == null || node.toPlain() == null) {
            return out;
        }
        SpecNode.MapNode map = SpecBinder.asMap(node, "sweep.parameters");
        map.entries().forEach((path, values) -> {
            SourceLocation at = map.keyLocation(path);
            Assignment.checkPath(path, at);
            out.put(path, values(values, "sweep.parameters." + path));
        });
        return out;
    }

    /** A list of values, or {@code {values: [...]}} (which makes a list-valued parameter explicit). */
    private static List<SpecNode> values(SpecNode node, String path) {
        SpecNode list = node;
        if (node instanceof SpecNode.MapNode m) {
            SpecBinder.checkTopLevelKeys(m, path, List.of("values"));
            list = m.entries().get("values");
            if (list == null) {
                throw new SpecException(m.location(), path + ".values", "required key is missing");
            }
        }
        if (list instanceof SpecNode.ListNode l && !l.items().isEmpty()) {
            return l.items();
        }
        throw new SpecException(list.location(), path,
                "expected a non-empty list of values to sweep, e.g. [0.1, 0.01]");
    }

    private static Map<String, List<Assignment>> variants(SpecNode node) {
        Map<String, List<Assignment>> out = new LinkedHashMap<>();
        if (node == null || node.toPlain() == null) {
            return out;
        }
        SpecNode.MapNode map = SpecBinder.asMap(node, "sweep.variants");
        map.entries().forEach((name, body) -> {
            List<Assignment> sets = new ArrayList<>();
            if (body.toPlain() != null) {
                SpecNode.MapNode m = SpecBinder.asMap(body, "sweep.variants." + name);
                m.entries().forEach((path, value) -> {
                    Assignment.checkPath(path, m.keyLocation(path));
                    sets.add(new Assignment(path, value, m.keyLocation(path)));
                });
            }
            out.put(name, List.copyOf(sets));
        });
        return out;
    }
}
