package dev.assay.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The processor this process runs on, as the first processor of Linux's {@code /proc/cpuinfo}
 * describes it (every processor of a machine is of one kind here; the file's format is the
 * kernel's {@code arch/x86/kernel/cpu/proc.c}). Assay records it in each run's provenance and
 * decides engine settings by it ({@link PyTorchOneDnn}).
 *
 * <p>Why more than the model name: the name can be the same for processors whose arithmetic
 * differs. A 2-vCPU cloud machine reported "AMD EPYC" on a Zen 3 (family 25, AVX2 only) and on a
 * Zen 5 (family 26, AVX-512) processor; MKL picks its kernels by the vector instructions present,
 * and the README's main job, the same build and seed, gave test accuracies 0.8880 / 0.8843 / 0.8862
 * / 0.8820 on the first against 0.8857 / 0.8884 / 0.8846 / 0.8783 on AVX-512 machines (this project's
 * runs of 1-2 Dec 2026). {@link #id()} and {@link #vectorIsa()} say which.
 *
 * @param vendor {@code vendor_id}, e.g. {@code AuthenticAMD}, {@code GenuineIntel}; null if absent
 * @param family {@code cpu family}, e.g. 25; null if absent or not a number
 * @param model {@code model}, e.g. 1; null if absent or not a number
 * @param modelName {@code model name}, e.g. {@code AMD EPYC}; null if absent
 * @param flags the {@code flags} (x86) or {@code Features} (ARM) words, e.g. {@code avx2},
 *     {@code avx512f}; empty if absent
 */
public record CpuInfo(String vendor, Integer family, Integer model, String modelName, Set<String> flags) {

    /** What a machine without a readable {@code /proc/cpuinfo} (not Linux) is described as. */
    public static final CpuInfo UNKNOWN = new CpuInfo(null, null, null, null, Set.of());

    private static final Path FILE = Path.of("/proc/cpuinfo");

    /** Copies the flags (sorted, unmodifiable). */
    public CpuInfo {
        flags = java.util.Collections.unmodifiableSet(new TreeSet<>(flags));
    }

    /**
     * Reads this machine's {@code /proc/cpuinfo}.
     *
     * @return its first processor, or {@link #UNKNOWN} where the file is missing or unreadable
     */
    public static CpuInfo read() {
        try {
            return parse(Files.readString(FILE));
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return UNKNOWN;
        }
    }

    /**
     * Parses the text of {@code /proc/cpuinfo}: {@code key : value} lines, up to the first blank
     * line (the first processor).
     *
     * @param text the file's text; may be empty
     * @return the first processor's description (fields absent from the text are null or empty)
     */
    public static CpuInfo parse(String text) {
        String vendor = null;
        Integer family = null;
        Integer model = null;
        String name = null;
        Set<String> flags = Set.of();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                if (vendor != null || name != null || !flags.isEmpty()) {
                    break; // the end of the first processor's block
                }
                continue;
            }
            String[] kv = line.split(":", 2);
            if (kv.length < 2) {
                continue;
            }
            String value = kv[1].trim();
            switch (kv[0].trim()) {
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = integer(value);
                case "model" -> model = integer(value);
                case "model name" -> name = value;
                case "flags", "Features" -> flags = new TreeSet<>(Arrays.asList(value.split("\\s+")));
                default -> { }
            }
        }
        return new CpuInfo(vendor, family, model, name, flags);
    }

    /**
     * The processor's kind as x86 identifies it: {@code AuthenticAMD family 25 model 1}.
     *
     * @return that text, or null where the vendor, family or model is unknown
     */
    public String id() {
        return vendor == null || family == null || model == null ? null
                : vendor + " family " + family + " model " + model;
    }

    /**
     * The widest x86 vector instruction set the processor has, which decides the kernels MKL and
     * oneDNN run: {@code AVX-512} (flag {@code avx512f}), {@code AVX2}, {@code AVX} or {@code
     * SSE4.2}.
     *
     * @return one of those, or null for none of them (another architecture, or no flags read)
     */
    public String vectorIsa() {
        if (flags.contains("avx512f")) {
            return "AVX-512";
        } else if (flags.contains("avx2")) {
            return "AVX2";
        } else if (flags.contains("avx")) {
            return "AVX";
        } else if (flags.contains("sse4_2")) {
            return "SSE4.2";
        }
        return null;
    }

    /**
     * The model name with what tells processors of one name apart: {@code AMD EPYC (AuthenticAMD
     * family 25 model 1, AVX2)}.
     *
     * @return that text; {@code unknown} where nothing was read
     */
    public String describe() {
        String extra = String.join(", ", java.util.stream.Stream.of(id(), vectorIsa())
                .filter(java.util.Objects::nonNull).toList());
        String base = modelName == null ? "unknown" : modelName;
        return extra.isEmpty() ? base : base + " (" + extra + ")";
    }

    private static Integer integer(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
