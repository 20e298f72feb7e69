package dev.assay.spec;

import dev.assay.plugin.Names;
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
            List.of("name", "description", "engine", "dataset", "model", "task", "training", "sweep");

    /** The prefix of top-level keys that Assay ignores, for anchors ({@link #withoutExtensions}). */
    public static final String EXTENSION_PREFIX = "x-";

    private static final List<String> SWEEP_KEYS =
            List.of("strategy", "parameters", "variants", "repeat", "n_trials", "seed", "pruner",
                    "objective", "n_startup_trials");

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
            text = dev.assay.data.Utf8Text.read(file);
        } catch (dev.assay.data.Utf8Text.Malformed e) {
            throw new SpecException(new SourceLocation(file.toString(), (int) e.line(), (int) e.column()), "",
                    e.problem());
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
        if (!(root instanceof SpecNode.MapNode file)) {
            throw new SpecException(root.location(), "",
                    "an experiment file must be a mapping with keys " + TOP_LEVEL);
        }
        // overrides of the configuration sections apply per trial (after the sweep's values);
        // name, description and sweep.* ones change the file's tree before it is read
        List<Assignment> parsed = new ArrayList<>();
        SpecNode.MapNode map = file;
        for (String argument : arguments.overrides()) {
            Assignment a = Assignment.parse(argument);
            String first = a.keys().get(0);
            requireTopLevelKey(first, a.path(), a.keyLocation(), TOP_LEVEL);
            if (SpecBinder.SECTIONS.contains(first)) {
                parsed.add(a);
            } else {
                map = (SpecNode.MapNode) a.applyTo(map);
            }
        }
        map = withoutExtensions(map);
        SpecBinder.checkTopLevel(map, TOP_LEVEL);
        String name = name(map);
        SpecNode desc = map.entries().get("description");
        if (desc != null && !(desc instanceof SpecNode.ScalarNode)) {
            // a mapping was stored as Java's text of it, "{a=1}"
            throw new SpecException(desc.location(), "description", "expected text, got a "
                    + (desc instanceof SpecNode.ListNode ? "list" : "mapping") + " (quote it if it is meant as text)");
        }
        String description = desc == null || desc.toPlain() == null ? "" : String.valueOf(desc.toPlain());
        SweepSpec sweep = withAxes(sweep(map.entries().get("sweep")), arguments.sweeps());
        Map<String, SpecNode> sections = new LinkedHashMap<>(map.entries());
        sections.keySet().retainAll(SpecBinder.SECTIONS);
        SpecNode base = new SpecNode.MapNode(sections, map.keyLocations(), map.location());
        for (Map.Entry<List<String>, String> shorthand : SHORTHANDS.entrySet()) {
            base = expandShorthand(base, shorthand.getKey(), shorthand.getValue());
        }
        return new ExperimentSpec(name, description, (SpecNode.MapNode) base, sweep, parsed, source,
                arguments, map);
    }

    /**
     * The file's top level less its extension fields: keys starting with {@value #EXTENSION_PREFIX},
     * which hold YAML anchors for the rest of the file to alias ({@code x-defaults: &defaults
     * {...}}) and are otherwise ignored, as in the Compose specification's extension fields.
     */
    private static SpecNode.MapNode withoutExtensions(SpecNode.MapNode map) {
        if (map.entries().keySet().stream().noneMatch(k -> k.startsWith(EXTENSION_PREFIX))) {
            return map;
        }
        Map<String, SpecNode> entries = new LinkedHashMap<>(map.entries());
        Map<String, SourceLocation> keys = new LinkedHashMap<>(map.keyLocations());
        entries.keySet().removeIf(k -> k.startsWith(EXTENSION_PREFIX));
        keys.keySet().removeIf(k -> k.startsWith(EXTENSION_PREFIX));
        return new SpecNode.MapNode(entries, keys, map.location());
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
            String name = String.valueOf(s.value());
            if (name.length() > dev.assay.track.TrackingStore.MAX_KEY_LENGTH) {
                // the store refused it when the first run was created, with no line and no column
                throw new SpecException(node.location(), "name", "an experiment name is at most "
                        + dev.assay.track.TrackingStore.MAX_KEY_LENGTH + " characters, got " + name.length());
            }
            String unprintable = dev.assay.track.KeyText.unprintable(name);
            if (unprintable != null) {
                // a tab or newline in the name broke the runs tables and every --experiment filter
                throw new SpecException(node.location(), "name", "an experiment name cannot hold " + unprintable);
            }
            if (!name.equals(name.strip())) {
                throw new SpecException(node.location(), "name", "the experiment name '" + name
                        + "' starts or ends with white space, which the tables do not show and filters do not match;"
                        + " remove it");
            }
            return name;
        }
        throw new SpecException(node.location(), "name", node instanceof SpecNode.ScalarNode
                ? "expected a non-empty experiment name"
                : "expected an experiment name (text), got a " + (node instanceof SpecNode.ListNode ? "list" : "mapping"));
    }

    private static SweepSpec sweep(SpecNode node) {
        if (node == null || node.toPlain() == null) {
            return SweepSpec.single();
        }
        SpecNode.MapNode map = SpecBinder.asMap(node, "sweep");
        SpecBinder.checkTopLevelKeys(map, "sweep", SWEEP_KEYS);
        String strategy = strategy(map.entries().get("strategy"));
        int repeat = (int) integer(map.entries().get("repeat"), "sweep.repeat", 1, 1, 10_000);
        Map<String, SweepAxis> axes = parameters(map.entries().get("parameters"));
        SpecNode trialsNode = map.entries().get("n_trials");
        SpecNode seedNode = map.entries().get("seed");
        if (strategy.equals("grid")) {
            for (SpecNode extra : java.util.Arrays.asList(trialsNode, seedNode)) {
                if (extra != null) {
                    throw new SpecException(extra.location(), "sweep", "n_trials and seed belong to"
                            + " strategy: random or tpe; a grid runs every combination");
                }
            }
            axes.forEach((path, axis) -> {
                if (axis instanceof SweepAxis.Distribution d) {
                    throw new SpecException(d.location(), "sweep.parameters." + path, "a "
                            + d.kind() + " distribution needs strategy: random; a grid needs a list"
                            + " of values");
                }
            });
            for (String key : List.of("objective", "n_startup_trials")) {
                if (map.entries().containsKey(key)) {
                    throw new SpecException(map.keyLocation(key), "sweep." + key,
                            "belongs to strategy: tpe");
                }
            }
            return new SweepSpec(strategy, axes, variants(map.entries().get("variants")), repeat, 0, 0,
                    SpecBinder.pruner(map.entries().get("pruner")), "val_loss", "auto", 10);
        }
        if (trialsNode == null) {
            throw new SpecException(map.location(), "sweep.n_trials",
                    "required key is missing (the number of trials to propose)");
        }
        if (strategy.equals("random")) { // read by TPE alone: under random they were accepted and did nothing
            for (String key : List.of("objective", "n_startup_trials")) {
                if (map.entries().containsKey(key)) {
                    throw new SpecException(map.keyLocation(key), "sweep." + key,
                            "belongs to strategy: tpe (a random search draws every trial independently)");
                }
            }
        }
        int trials = (int) integer(trialsNode, "sweep.n_trials", 0, 1, 100_000);
        long seed = integer(seedNode, "sweep.seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        Map<String, List<Assignment>> variants = variants(map.entries().get("variants"));
        String[] objective = objective(map.entries().get("objective"));
        int startup = (int) integer(map.entries().get("n_startup_trials"), "sweep.n_startup_trials",
                10, 1, 100_000);
        if (strategy.equals("tpe") && (!variants.isEmpty() || repeat > 1)) {
            // point at what conflicts (a command-line override's location is its argument)
            String key = !variants.isEmpty() ? "variants" : "repeat";
            throw new SpecException(map.entries().get(key).location(), "sweep." + key, "strategy: tpe proposes one"
                    + " configuration at a time; it takes no variants and no repeat");
        }
        return new SweepSpec(strategy, axes, variants, repeat, trials, seed,
                SpecBinder.pruner(map.entries().get("pruner")), objective[0], objective[1], startup);
    }

    /** {@code objective: METRIC} or {@code objective: {metric: M, mode: min|max|auto}}. */
    private static String[] objective(SpecNode node) {
        if (node == null) {
            return new String[] {"val_loss", "auto"};
        }
        if (node instanceof SpecNode.ScalarNode s && s.value() instanceof String metric) {
            return new String[] {metric, "auto"};
        }
        SpecNode.MapNode m = SpecBinder.asMap(node, "sweep.objective");
        SpecBinder.checkTopLevelKeys(m, "sweep.objective", List.of("metric", "mode"));
        SpecNode metric = m.entries().get("metric");
        SpecNode mode = m.entries().get("mode");
        if (metric == null || !(metric.toPlain() instanceof String)) {
            throw new SpecException(m.location(), "sweep.objective.metric", "expected a metric name");
        }
        String modeText = mode == null ? "auto" : String.valueOf(mode.toPlain());
        List<String> modes = List.of("auto", "min", "max");
        if (!modes.contains(modeText)) {
            throw new SpecException(mode.location(), "sweep.objective.mode", "expected one of " + modes
                    + ", got '" + modeText + "'" + dev.assay.plugin.Names.didYouMean(modeText, modes, ""));
        }
        return new String[] {(String) metric.toPlain(), modeText};
    }

    private static String strategy(SpecNode node) {
        if (node == null) {
            return "grid";
        }
        Object value = node.toPlain();
        if (value instanceof String s && SweepSpec.STRATEGIES.contains(s)) {
            return s;
        }
        String close = value instanceof String s ? Names.closest(s, SweepSpec.STRATEGIES) : null;
        throw new SpecException(node.location(), "sweep.strategy", "unsupported strategy '" + value + "'"
                + (close == null ? "; supported: " : "; did you mean '" + close + "'? Supported: ")
                + String.join(", ", SweepSpec.STRATEGIES));
    }

    private static long integer(SpecNode node, String path, long dflt, long min, long max) {
        if (node == null) {
            return dflt;
        }
        if (node.toPlain() instanceof Long l && l >= min && l <= max) {
            return l;
        }
        throw new SpecException(node.location(), path, "expected an integer in [" + min + ", " + max
                + "], got " + node.toPlain());
    }

    private static Map<String, SweepAxis> parameters(SpecNode node) {
        Map<String, SweepAxis> out = new LinkedHashMap<>();
        if (node == null || node.toPlain() == null) {
            return out;
        }
        SpecNode.MapNode map = SpecBinder.asMap(node, "sweep.parameters");
        map.entries().forEach((path, values) -> {
            SourceLocation at = map.keyLocation(path);
            Assignment.checkPath(path, at);
            requireTopLevelKey(path.split("\\.")[0], "sweep.parameters." + path, at, SpecBinder.SECTIONS);
            out.put(path, axis(values, "sweep.parameters." + path).keyedAt(at));
        });
        return out;
    }

    /**
     * A list of values, {@code {values: [...]}} (which makes a list-valued parameter explicit), or
     * {@code {distribution: NAME, low: A, high: B}} ({@code mean}/{@code std} for normal).
     */
    private static SweepAxis axis(SpecNode node, String path) {
        SpecNode list = node;
        if (node instanceof SpecNode.MapNode m) {
            if (m.entries().containsKey("distribution")) {
                return distribution(m, path);
            }
            SpecBinder.checkTopLevelKeys(m, path, List.of("values", "distribution"));
            list = m.entries().get("values");
            if (list == null) {
                throw new SpecException(m.location(), path + ".values", "required key is missing");
            }
        }
        if (list instanceof SpecNode.ListNode l && !l.items().isEmpty()) {
            return new SweepAxis.Values(l.items(), l.location());
        }
        throw new SpecException(list.location(), path,
                "expected a non-empty list of values to sweep, e.g. [0.1, 0.01]");
    }

    private static SweepAxis distribution(SpecNode.MapNode m, String path) {
        SpecNode kindNode = m.entries().get("distribution");
        Object kind = kindNode.toPlain();
        if (!(kind instanceof String k) || !SweepAxis.Distribution.KINDS.contains(k)) {
            String close = kind instanceof String text ? Names.closest(text, SweepAxis.Distribution.KINDS) : null;
            throw new SpecException(kindNode.location(), path + ".distribution", "unknown distribution '" + kind + "'"
                    + (close == null ? "; known: " : "; did you mean '" + close + "'? Known: ")
                    + String.join(", ", SweepAxis.Distribution.KINDS));
        }
        boolean normal = k.equals("normal");
        String first = normal ? "mean" : "low";
        String second = normal ? "std" : "high";
        SpecBinder.checkTopLevelKeys(m, path, List.of("distribution", first, second));
        double a = number(m, first, path);
        double b = number(m, second, path);
        if (normal ? b <= 0 : b <= a) {
            throw new SpecException(m.keyLocation(second), path + "." + second, normal
                    ? "the standard deviation must be > 0, got " + text(b)
                    : "high must be greater than low (" + text(a) + "), got " + text(b));
        }
        if (k.equals("int_uniform") && Math.ceil(a) > Math.floor(b)) {
            throw new SpecException(m.keyLocation(second), path + "." + second, "no integer lies in [" + text(a) + ", "
                    + text(b) + "]");
        }
        if (k.equals("int_uniform") && (Math.abs(a) > 9.0e18 || Math.abs(b) > 9.0e18)) {
            throw new SpecException(m.keyLocation(Math.abs(a) > 9.0e18 ? first : second), path + "."
                    + (Math.abs(a) > 9.0e18 ? first : second), "an int_uniform range must lie within ±9.0e18 (a Java"
                    + " long), got [" + text(a) + ", " + text(b) + "]");
        }
        if (k.equals("loguniform") && a <= 0) {
            throw new SpecException(m.keyLocation(first), path + ".low",
                    "a loguniform distribution needs low > 0, got " + a);
        }
        return new SweepAxis.Distribution(k, a, b, m.location());
    }

    private static double number(SpecNode.MapNode m, String key, String path) {
        SpecNode node = m.entries().get(key);
        if (node == null) {
            throw new SpecException(m.location(), path + "." + key, "required key is missing");
        }
        return SpecBinder.finiteNumber(node, path + "." + key);
    }

    /**
     * Checks the first key of a dotted path set outside the file's own tree (a command-line
     * override or sweep axis, a variant's setting) against the keys it may start with.
     *
     * @throws SpecException at {@code at}: the unknown key, the closest allowed one and all of them
     */
    private static void requireTopLevelKey(String first, String path, SourceLocation at, List<String> allowed) {
        if (!allowed.contains(first)) {
            throw new SpecException(at, path, "unknown key '" + first + "'" + Names.didYouMean(first, allowed, ".")
                    + " A path here starts with one of: " + String.join(", ", allowed));
        }
    }

    /**
     * Adds or replaces grid axes from {@code --sweep path=v1,v2,...} arguments; the values are read
     * as a YAML flow list, so {@code a=0.1,1e-3} gives two numbers and {@code h=[8,4],[16]} two
     * lists. An axis on a path below an argument's ({@code training.optimizer.learning_rate} under
     * {@code --sweep training.optimizer=...}) is removed, as an override above an axis removes it.
     */
    private static SweepSpec withAxes(SweepSpec sweep, List<String> arguments) {
        if (arguments.isEmpty()) {
            return sweep;
        }
        Map<String, SweepAxis> axes = new LinkedHashMap<>(sweep.parameters());
        for (String argument : arguments) {
            // parsed as path=[v1,v2], but located at the argument as the user wrote it
            SourceLocation at = SourceLocation.argument("--sweep " + argument);
            requireNoEmptyValue(argument, at);
            Assignment a = Assignment.parseAxis(argument);
            requireTopLevelKey(a.keys().get(0), a.path(), at, SpecBinder.SECTIONS);
            if (!(a.value() instanceof SpecNode.ListNode list) || list.items().isEmpty()) {
                throw new SpecException(at, a.path(),
                        "expected comma-separated values, e.g. --sweep " + a.path() + "=V1,V2");
            }
            // an axis below this path would set part of what this one sets: the trials named its values
            // while this axis's won, and repeated one another (ExperimentSpec#planNotes says it is removed)
            axes.keySet().removeIf(path -> path.startsWith(a.path() + "."));
            axes.put(a.path(), new SweepAxis.Values(list.items(), list.location()));
        }
        return new SweepSpec(sweep.strategy(), axes, sweep.variants(), sweep.repeat(),
                sweep.trials(), sweep.seed(), sweep.pruner(), sweep.objective(),
                sweep.objectiveMode(), sweep.startupTrials());
    }

    /**
     * Refuses a {@code --sweep path=v1,,v2} (or a leading or trailing comma) in words: SnakeYAML's
     * "while parsing a flow node ... expected the node content, but found ','" with an excerpt of
     * {@code [v1,,v2]}, text the user never wrote, was all it said.
     */
    private static void requireNoEmptyValue(String argument, SourceLocation at) {
        int eq = argument.indexOf('=');
        String values = eq < 0 ? "" : argument.substring(eq + 1).replace(" ", "");
        if (eq > 0 && (values.startsWith(",") || values.endsWith(",") || values.contains(",,"))) {
            throw new SpecException(at, argument.substring(0, eq).trim(), "an empty value between commas in '"
                    + argument.substring(eq + 1) + "'; give each value, e.g. --sweep " + argument.substring(0, eq).trim()
                    + "=V1,V2 (a list value in brackets: --sweep model.params.hidden=[32,16],[64])");
        }
    }

    /** A distribution's end as written: whole numbers without ".0" (an int_uniform range read "low (128.0), got 16.0"). */
    private static String text(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
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
                    requireTopLevelKey(path.split("\\.")[0], "sweep.variants." + name + "." + path,
                            m.keyLocation(path), SpecBinder.SECTIONS);
                    sets.add(new Assignment(path, value, m.keyLocation(path)));
                });
            }
            out.put(name, List.copyOf(sets));
        });
        return out;
    }
}
