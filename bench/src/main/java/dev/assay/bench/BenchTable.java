package dev.assay.bench;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Renders {@link BenchResults} as a console table (the ascii-table library, as the CLI's tables). */
public final class BenchTable {

    private BenchTable() {}

    /**
     * Renders the machine line, the figures and the errors.
     *
     * @param results what a run measured
     * @return the text, ending with a newline
     */
    public static String render(BenchResults results) {
        MachineInfo m = results.machine();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Machine: %s, %d cores, %,d MiB; %s; %s; engines %s%n",
                m.cpuModel(), m.cores(), m.memoryMiB(), m.os(), m.jvm(), m.engines()));
        out.append("Load average before: ").append(m.loadBefore()).append("; after: ")
                .append(m.loadAfter()).append(System.lineSeparator());
        out.append(AsciiTable.builder().border(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS)
                .data(results.rows(), columns(judged(results) ? null
                        : results.profile() != null ? "(profiled)" : "(tiny)")).asString()).append(System.lineSeparator());
        if (results.profile() != null) {
            out.append(String.format(Locale.ROOT, "Profiled with async-profiler (event %s): the figures carry the"
                    + " profiler's cost, so targets are not judged; flame graphs (.html) and collapsed stacks in %s%n",
                    results.profile().event(), results.profile().dir()));
        }
        if (judged(results)) {
            out.append(String.format(Locale.ROOT, "%d figure(s), %d target(s) missed, %.0f s (%s size)%n",
                    results.rows().size(), results.missedTargets(), results.elapsedSeconds(), results.size()));
        } else if (results.size().equals(BenchSize.TINY.name())) {
            out.append(String.format(Locale.ROOT, "%d figure(s), %.0f s (%s size: proves the benchmarks run;"
                    + " one cold round each, so targets are not judged; use --size full)%n",
                    results.rows().size(), results.elapsedSeconds(), results.size()));
        } else {
            out.append(String.format(Locale.ROOT, "%d figure(s), %.0f s (%s size, profiled)%n",
                    results.rows().size(), results.elapsedSeconds(), results.size()));
        }
        results.errors().forEach(e -> out.append("ERROR: ").append(e).append(System.lineSeparator()));
        return out.toString();
    }

    /**
     * Whether targets are judged: not at tiny size, whose one cold round of each is no measurement,
     * and not in a profiled run, whose figures carry the profiler's cost.
     */
    static boolean judged(BenchResults results) {
        return !results.size().equals(BenchSize.TINY.name()) && results.profile() == null;
    }

    private static List<ColumnData<BenchRow>> columns(String notJudged) {
        return List.of(
                column("", HorizontalAlign.LEFT, BenchRow::section),
                column("figure", HorizontalAlign.LEFT, BenchRow::name),
                column("value", HorizontalAlign.RIGHT, r -> number(r.value())),
                column("unit", HorizontalAlign.LEFT, BenchRow::unit),
                column("reference", HorizontalAlign.RIGHT, r -> r.reference() == null ? "-"
                        : number(r.reference()) + " (" + r.referenceName() + ")"),
                column("ratio", HorizontalAlign.RIGHT, r -> r.ratio() == null ? "-"
                        : String.format(Locale.ROOT, "%.3f", r.ratio())),
                column("target", HorizontalAlign.LEFT, r -> r.target() == null ? "-" : r.target().describe()),
                column("pass", HorizontalAlign.LEFT, r -> r.pass() == null ? "-" : notJudged != null ? notJudged
                        : r.pass() ? "yes" : "NO"));
    }

    private static ColumnData<BenchRow> column(String header, HorizontalAlign align,
            Function<BenchRow, String> cell) {
        return new Column().header(header).headerAlign(HorizontalAlign.LEFT).dataAlign(align)
                .maxWidth(header.equals("figure") ? 60 : 48).with(cell);
    }

    /**
     * Formats a figure: thousands separators at or above 1,000, three significant decimals below.
     *
     * @param v the figure
     * @return the text
     */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
