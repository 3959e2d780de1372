package dev.pulse.perf.nab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NabFileTest {

    @Test
    void readsTimestampsAsUtcAndDropsFractions() {
        assertEquals(1397114100L, NabFile.epochSecond("2014-04-10 07:15:00.000000"));
        assertEquals(1397114100L, NabFile.epochSecond("2014-04-10 07:15:00"));
    }

    @Test
    void matchesWindowEdgesToTheFirstRowWithThatTime(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("data/cat"));
        Files.createDirectories(dir.resolve("labels"));
        Files.writeString(dir.resolve("data/cat/a.csv"), """
                timestamp,value
                2014-03-09 01:00:00,1
                2014-03-09 02:00:00,2.5
                2014-03-09 03:00:00,-1.0574e-05
                2014-03-09 03:00:00,4
                2014-03-09 04:00:00,5
                """);
        Files.writeString(dir.resolve("labels/combined_windows.json"), """
                {"cat/a.csv": [["2014-03-09 02:00:00.000000", "2014-03-09 03:00:00.000000"]]}
                """);
        List<NabFile> files = NabCorpus.load(dir);
        NabFile f = files.get(0);
        assertEquals("cat/a.csv", f.name());
        assertEquals("cat", f.category());
        assertArrayEquals(new double[] {1, 2.5, -1.0574e-05, 4, 5}, f.value());
        assertArrayEquals(new int[] {1, 2}, f.windowRows()[0]);
    }

    @Test
    void refusesAWindowEdgeThatMatchesNoRow(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("a.csv");
        Files.writeString(csv, "timestamp,value\n2014-01-01 00:00:00,1\n");
        long missing = NabFile.epochSecond("2014-01-02 00:00:00");
        assertThrows(IllegalArgumentException.class,
                () -> NabFile.read("c/a.csv", csv, new long[][] {{missing, missing}}));
    }

    @Test
    void sourceNamesUseOnlyTheAllowedCharacters() {
        assertEquals("realTweets.Twitter_volume_AAPL", HttpReplay.sourceName("realTweets/Twitter_volume_AAPL.csv"));
        assertEquals("a.b_c-d:e", HttpReplay.sourceName("a/b c-d:e.csv"));
    }
}
