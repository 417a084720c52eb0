package dev.switchboard.kernel.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The loop's timer heap: deadlines expire when due and only then, and a cancelled one leaves the queue at once. */
class TimerQueueTest {

    @Test
    void cancelledDeadlinesLeaveTheQueueAtOnce() {
        TimerQueue q = new TimerQueue();
        List<TimerQueue.Deadline> ds = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            TimerQueue.Deadline d = new TimerQueue.Deadline(q, () -> { });
            d.set(0, 1_000_000_000L + i);
            ds.add(d);
        }
        assertEquals(1000, q.size());
        for (TimerQueue.Deadline d : ds) {
            d.set(5, 2_000_000_000L); // later: no new entry
        }
        assertEquals(1000, q.size());
        for (TimerQueue.Deadline d : ds) {
            d.cancel();
        }
        assertEquals(0, q.size(), "a closed connection's deadlines do not stay queued until their time");
    }

    /** One operation on deadline {@code which}: set to now + {@code nanos}, clear, cancel, or advance the clock. */
    record Op(int kind, int which, long nanos) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 7),
                Arbitraries.longs().between(1, 1000)).as(Op::new).list().ofMaxSize(80);
    }

    @Property(tries = 500)
    void deadlinesExpireExactlyWhenAModelSaysTheyShould(@ForAll("ops") List<Op> ops) {
        TimerQueue q = new TimerQueue();
        long[] due = new long[8]; // model: 0 = not set
        List<Integer> fired = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        TimerQueue.Deadline[] ds = new TimerQueue.Deadline[8];
        for (int i = 0; i < 8; i++) {
            int id = i;
            ds[i] = new TimerQueue.Deadline(q, () -> fired.add(id));
        }
        long now = 1;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    ds[op.which()].set(now, op.nanos());
                    due[op.which()] = now + op.nanos();
                }
                case 1 -> {
                    ds[op.which()].clear();
                    due[op.which()] = 0;
                }
                case 2 -> {
                    ds[op.which()].cancel();
                    due[op.which()] = 0;
                }
                default -> {
                    now += op.nanos();
                    // the model: every set deadline due by now expires once, earliest first (ties by id order of setting
                    // do not matter here: compare as sets per step)
                    List<Integer> step = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        if (due[i] != 0 && due[i] - now <= 0) {
                            step.add(i);
                            due[i] = 0;
                        }
                    }
                    int before = fired.size();
                    q.runDue(now, t -> { throw new AssertionError(t); });
                    List<Integer> got = new ArrayList<>(fired.subList(before, fired.size()));
                    got.sort(null);
                    assertEquals(step, got, "expired at " + now);
                    expected.addAll(step);
                }
            }
        }
        assertEquals(expected.size(), fired.size());
    }
}
