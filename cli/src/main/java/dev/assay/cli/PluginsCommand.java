package dev.assay.cli;

import dev.assay.spec.BuiltinFields;
import dev.assay.plugin.MetricKind;
import dev.assay.plugin.ParamDescriptor;
import dev.assay.plugin.PluginKind;
import dev.assay.plugin.PluginProvider;
import dev.assay.plugin.PluginRegistry;
import dev.assay.plugin.TaskProvider;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code assay plugins}: every dataset, architecture, optimizer and task with its parameters. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = "List datasets, architectures, optimizers and tasks with their parameters.")
public final class PluginsCommand implements Callable<Integer> {

    @Option(names = "--kind", paramLabel = "KIND",
            description = "only one kind: dataset, architecture, optimizer or task")
    String kind;

    @Mixin
    PluginOptions plugins;

    @Spec
    CommandSpec spec;

    /**
     * Prints the plugins.
     *
     * @return 0
     * @throws IllegalArgumentException if {@code --kind} names no kind
     */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PluginRegistry registry = plugins.load();
        if (kind == null) {
            out.println("EXPERIMENT FILE SECTIONS (built in)");
            BuiltinFields.sections().forEach((section, fields) -> {
                out.println("  " + section + (section.equals("training.optimizer")
                        ? " (plus the chosen optimizer's parameters below)" : ""));
                out.println(indent(table(fields)));
                BuiltinFields.withoutDefault().getOrDefault(section, List.of())
                        .forEach(line -> out.println("    also " + line));
            });
            out.println();
        }
        for (PluginKind k : PluginKind.values()) {
            if (kind != null && !k.label().equals(kind.toLowerCase(Locale.ROOT))) {
                continue;
            }
            out.println(k.label().toUpperCase(Locale.ROOT) + "S  (" + k.specPath() + ")");
            for (Map.Entry<String, PluginProvider> e : registry.providers(k).entrySet()) {
                String origin = registry.origin(k, e.getKey());
                // a provider from outside Assay says which plugin and jar it came from
                boolean external = origin != null && !origin.startsWith("dev.assay.");
                out.println("  " + e.getKey() + " - " + e.getValue().description() + (external ? "  [" + origin + "]" : ""));
                List<ParamDescriptor> params = e.getValue().parameters();
                if (!params.isEmpty()) {
                    out.println(indent(table(params)));
                }
                if (e.getValue() instanceof TaskProvider task && !task.metrics().isEmpty()) {
                    out.println(indent(metrics(task.metrics())));
                }
            }
            out.println();
        }
        if (kind != null && java.util.Arrays.stream(PluginKind.values())
                .noneMatch(k -> k.label().equals(kind.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("unknown kind '" + kind
                    + "'; kinds: dataset, architecture, optimizer, task");
        }
        return 0;
    }

    private static String table(List<ParamDescriptor> params) {
        List<String[]> rows = new ArrayList<>();
        for (ParamDescriptor d : params) {
            String type = d.type().name().toLowerCase(Locale.ROOT)
                    + (d.choices().isEmpty() ? "" : " " + d.choices())
                    + (d.bounds().isEmpty() ? "" : " " + d.bounds());
            rows.add(new String[] {d.name(), type,
                d.required() ? "(required)" : String.valueOf(d.defaultValue()), d.description()});
        }
        return Tables.table(List.of("parameter", "type", "default", "description"), rows);
    }

    /**
     * The metrics a task declares, by when it logs them: what {@code early_stopping.monitor},
     * {@code pruner.monitor} (epoch metrics) and a TPE {@code objective} may name.
     */
    private static String metrics(Map<String, MetricKind> declared) {
        Map<MetricKind, String> labels = Map.of(MetricKind.STEP, "metrics every few steps: ",
                MetricKind.EPOCH, "metrics per epoch (monitors): ", MetricKind.FINAL, "metrics after training: ");
        List<String> lines = new ArrayList<>();
        for (MetricKind kind : MetricKind.values()) {
            List<String> names = declared.entrySet().stream().filter(d -> d.getValue() == kind)
                    .map(Map.Entry::getKey).toList();
            if (!names.isEmpty()) {
                lines.add(labels.get(kind) + String.join(", ", names));
            }
        }
        return String.join("\n", lines);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
