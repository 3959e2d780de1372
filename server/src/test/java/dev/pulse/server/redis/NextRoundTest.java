package dev.pulse.server.redis;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reader is released only by a round that began after it asked, and readers of one round share its future. */
class NextRoundTest {

    @Test
    void aRoundReleasesOnlyTheReadersThatCameBeforeItBegan() {
        NextRound rounds = new NextRound();
        assertFalse(rounds.wanted());
        assertFalse(rounds.begin(), "nobody waits: nothing taken");
        rounds.end();

        CompletableFuture<Void> early = rounds.next();
        assertSame(early, rounds.next(), "readers before one round share its future");
        assertTrue(rounds.wanted());
        assertTrue(rounds.begin());
        assertFalse(rounds.wanted());
        assertSame(early, rounds.pending(), "the round in hand is what readers wait for");
        CompletableFuture<Void> late = rounds.next(); // asked after the round began: not its reader
        assertFalse(late == early);
        rounds.end();
        assertTrue(early.isDone());
        assertFalse(late.isDone(), "a round that began before the ask releases nobody who asked later");
        assertSame(late, rounds.pending());

        assertTrue(rounds.begin());
        rounds.end();
        assertTrue(late.isDone());
        assertNull(rounds.pending());
    }
}
