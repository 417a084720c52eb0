package dev.switchboard.bench;

import dev.switchboard.kernel.plugin.GuardedBalancer;
import dev.switchboard.kernel.plugin.PluginHost;
import dev.switchboard.spi.balance.Balancer;
import dev.switchboard.spi.balance.BalancerContext;
import dev.switchboard.spi.model.Backend;
import dev.switchboard.spi.model.LoadBalancer;
import dev.switchboard.spi.model.Origin;
import dev.switchboard.spi.model.Server;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One balancing decision as the proxy makes it (issue 5, "JMH: pick() cost for 2, 16 and 256 servers, no
 * allocation"): {@code pick} on the kernel's {@link GuardedBalancer} (the wrapper every plugin balancer is called
 * through), and {@code pickAndRecord} adds the {@code record} of the outcome that follows every proxied request
 * (for {@code drr}, the meter update and, at most every 100 ms, the rebalancer's evaluation).
 *
 * <p>The balancers are the real {@code plugins/balancers}, found on the class path as the kernel finds class-path
 * extensions ({@code PluginHost.start(null, true)}) and built by the kernel's registry. Servers have weights 1, 2, 3
 * (cycling), so the interleaved cycle has several passes and the smooth one several scores. {@code method}:
 * {@code wrr}, {@code wrr-smooth} ({@code wrr} with {@code smooth = true}) and {@code drr} (all outcomes 200, so the
 * weights never move: the steady state).
 *
 * <p>{@code -prof gc}'s {@code gc.alloc.rate.norm} is the garbage per call; the target is none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBenchmark {

    @Param({"wrr", "wrr-smooth", "drr"})
    public String method;

    @Param({"2", "16", "256"})
    public int servers;

    private PluginHost plugins;
    private GuardedBalancer balancer;
    private Balancer plain;
    private final RoutingBenchmark.BenchRequest request =
            new RoutingBenchmark.BenchRequest("GET", "svc.example.com", "/api/users/42", null, null, true);

    @Setup(Level.Trial)
    public void build() throws Exception {
        plugins = PluginHost.start(null, true);
        Map<String, Server> byName = new LinkedHashMap<>();
        List<Server> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            String name = String.format("s%03d", i);
            Server s = new Server(name, URI.create("http://127.0.0.1:" + (20000 + i)), 1 + i % 3, Origin.UNKNOWN);
            byName.put(name, s);
            list.add(s);
        }
        boolean smooth = method.equals("wrr-smooth");
        String m = smooth ? "wrr" : method;
        Map<String, Object> options = smooth ? Map.of("smooth", true) : Map.of();
        Backend backend = new Backend("b", byName, new LoadBalancer(m, false, null, options), null, null, null, null,
                null, Origin.UNKNOWN);
        balancer = plugins.registry().balancer(m).create(new BalancerContext(backend, list, null, false));
        plain = balancer.unwrap();
        for (int i = 0; i < 100_000; i++) { // every server is picked, and the path is compiled before measuring
            Server s = balancer.pick(request);
            if (s == null || s == GuardedBalancer.FAILED) {
                throw new IllegalStateException(method + " picked " + s);
            }
            balancer.record(s, 200, 1_000_000);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        plugins.close();
    }

    @Benchmark
    public Server pick() {
        return balancer.pick(request);
    }

    /** The plugin's pick without the kernel's guard (timing, quarantine, context class loader): the guard's cost is
     *  {@code pick} minus this. */
    @Benchmark
    public Server pickUnguarded() {
        return plain.pick(request);
    }

    /** What the proxy does per request: pick, then report the outcome (status 200, 1 ms to the response head). */
    @Benchmark
    public Server pickAndRecord() {
        Server s = balancer.pick(request);
        balancer.record(s, 200, 1_000_000);
        return s;
    }
}
