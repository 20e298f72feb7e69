package dev.assay.run;

import dev.assay.data.DataTags;
import dev.assay.track.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds runs of one experiment that name the same dataset settings but read different data: the
 * same {@code dataset.*} params, different {@code data.fingerprint} tags (the bundled 6,000-image
 * subset on one machine and the full Fashion-MNIST on another; a corpus edited between two
 * sessions). A sweep run again skips its completed trials without reading their data, so their
 * results and the new ones would be compared as if trained on the same data.
 */
public final class DataConsistency {

    private DataConsistency() {}

    /**
     * Describes the groups of runs with the same dataset settings and more than one fingerprint.
     *
     * @param runs runs of one experiment (e.g. the newest run of each trial)
     * @return a warning naming each such group's settings, fingerprints, sources and runs (by id
     *     prefix), or empty when every group read the same data (or runs have no fingerprint)
     */
    public static Optional<String> mismatch(List<RunRecord> runs) {
        Map<Map<String, String>, Map<String, List<RunRecord>>> groups = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            String fingerprint = r.tags().get(DataTags.FINGERPRINT);
            if (fingerprint == null) {
                continue;
            }
            Map<String, String> dataset = new TreeMap<>();
            r.params().forEach((k, v) -> {
                if (k.startsWith("dataset.")) {
                    dataset.put(k, v);
                }
            });
            groups.computeIfAbsent(dataset, k -> new LinkedHashMap<>())
                    .computeIfAbsent(fingerprint, k -> new ArrayList<>()).add(r);
        }
        List<String> lines = new ArrayList<>();
        groups.forEach((dataset, byFingerprint) -> {
            if (byFingerprint.size() > 1) {
                StringBuilder line = new StringBuilder("runs with the same dataset settings " + dataset
                        + " read different data:");
                byFingerprint.forEach((fingerprint, group) -> line.append(" fingerprint ").append(fingerprint)
                        .append(" (").append(group.get(0).tags().getOrDefault(DataTags.SOURCE, "?")).append(", ")
                        .append(group.size()).append(" run(s): ")
                        .append(String.join(", ", group.stream().map(r -> r.runId().substring(0, 8)).toList()))
                        .append(");"));
                lines.add(line.substring(0, line.length() - 1));
            }
        });
        return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines)
                + "\ntheir results are not comparable; --rerun trains every trial again on the data found now");
    }
}
