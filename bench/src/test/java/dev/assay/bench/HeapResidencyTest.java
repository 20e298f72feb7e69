package dev.assay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapResidencyTest {

    @Test
    void readsTheHeapRangeFromHotSpotsLogLine() throws Exception {
        String log = "[0.004s][debug][gc,heap,coops] Heap address: 0x0000000700000000, size: 4096 MB,"
                + " Compressed Oops mode: Zero based, Oop shift amount: 3\n";
        assertThat(HeapResidency.parse(log)).contains(new HeapResidency(0x700000000L, 4096L << 20));
        assertThat(HeapResidency.parse("[0.004s][info][gc,init] Heap Region Size: 2M\n")).isEmpty();
    }

    @Test
    void aMissingLogGivesNoRange(@TempDir Path dir) throws Exception {
        assertThat(HeapResidency.fromLog(dir.resolve("absent.log"))).isEmpty();
        Files.writeString(dir.resolve("empty.log"), "");
        assertThat(HeapResidency.fromLog(dir.resolve("empty.log"))).isEmpty();
    }

    @Test
    void sumsTheResidentSetOfMappingsInsideTheRangeOnly() throws Exception {
        // a 64 MiB heap at 0x700000000: a committed and an uncommitted mapping inside it, one below, one above
        String smaps = String.join("\n",
                "6ff000000-700000000 rw-p 00000000 00:00 0",
                "Size:              16384 kB",
                "Rss:                 900 kB",
                "700000000-701000000 rw-p 00000000 00:00 0",
                "Size:              16384 kB",
                "Rss:                1200 kB",
                "Pss:                1200 kB",
                "701000000-704000000 ---p 00000000 00:00 0",
                "Size:              49152 kB",
                "Rss:                   0 kB",
                "704000000-704001000 r--p 00000000 08:01 42 /usr/lib/libc.so.6",
                "Size:                  4 kB",
                "Rss:                   4 kB",
                "");
        HeapResidency heap = new HeapResidency(0x700000000L, 64L << 20);
        assertThat(heap.residentKiB(new BufferedReader(new StringReader(smaps)))).isEqualTo(1200);
    }

    @Test
    void thisJvmsOwnSmapsReadsWithoutError() {
        // a range no mapping lies in: nothing resident, but /proc/self/smaps parsed to its end
        assertThat(new HeapResidency(0x10L, 0x10L).residentKiB()).isZero();
    }
}
