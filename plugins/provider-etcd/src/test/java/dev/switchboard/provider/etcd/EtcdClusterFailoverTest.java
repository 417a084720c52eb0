package dev.switchboard.provider.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.spi.model.Configuration;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-member etcd cluster on loopback: the member the provider watches through, the leader, is stopped; a new
 * leader is elected, the watch breaks, and the provider re-reads through another endpoint and follows changes.
 */
class EtcdClusterFailoverTest {

    @TempDir
    Path dir;

    private List<EtcdServer> members = List.of();
    private EtcdProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.close();
        }
        members.forEach(EtcdServer::close);
    }

    @Test
    void leaderStoppedWhileWatchingFailsOverToAnotherMemberAndResumes() throws Exception {
        members = EtcdServer.cluster(dir, 3);
        EtcdServer leader = null;
        for (EtcdServer m : members) {
            if (m.isLeader()) {
                leader = m;
            }
        }
        assertTrue(leader != null, "no leader among " + members.size() + " members");
        List<EtcdServer> order = new ArrayList<>(members);
        order.remove(leader);
        order.add(0, leader);
        List<URI> all = order.stream().map(EtcdServer::endpoint).toList();
        EtcdClient writer = new EtcdClient(all, null, null, null);
        writer.put("/traefik/backends/b1/servers/s1/url", "http://127.0.0.1:8081");
        writer.put("/traefik/frontends/f1/backend", "b1");
        writer.put("/traefik/frontends/f1/routes/r1/rule", "Host:before.example");

        provider = new EtcdProvider();
        RecordingContext ctx = RecordingContext.etcdSection(Map.of(
                "endpoint", order.stream().map(EtcdServer::hostPort).collect(Collectors.joining(",")),
                "retryMin", "20ms", "retryMax", "200ms"));
        provider.start(ctx);
        assertEquals("Host:before.example", rule(ctx.nextSnapshot()));

        leader.stop();
        EtcdProviderTest.await(() -> provider.session().losses() >= 1, "the provider notices its member is gone");
        writer.put("/traefik/frontends/f1/routes/r1/rule", "Host:after.example");
        assertEquals("Host:after.example", rule(ctx.snapshotWhere(c -> "Host:after.example".equals(rule(c)))));
        assertTrue(ctx.rejected.isEmpty(), () -> "rejected: " + ctx.rejected);
        EtcdServer survivor = order.get(1);
        EtcdProviderTest.await(() -> {
            try {
                return survivor.isLeader() || order.get(2).isLeader();
            } catch (Exception e) {
                return false;
            }
        }, "a new leader among the two members left");
    }

    @Test
    void frozenMemberIsLeftAfterAFailedProbeAndChangesArriveThroughAnother() throws Exception {
        members = EtcdServer.cluster(dir, 3);
        List<URI> all = members.stream().map(EtcdServer::endpoint).toList();
        EtcdClient writer = new EtcdClient(all, null, null, null);
        writer.put("/traefik/backends/b1/servers/s1/url", "http://127.0.0.1:8081");
        writer.put("/traefik/frontends/f1/backend", "b1");
        writer.put("/traefik/frontends/f1/routes/r1/rule", "Host:before.example");

        provider = new EtcdProvider();
        RecordingContext ctx = RecordingContext.etcdSection(Map.of(
                "endpoint", members.stream().map(EtcdServer::hostPort).collect(Collectors.joining(",")),
                "retryMin", "20ms", "retryMax", "200ms", "probeInterval", "200ms"));
        provider.start(ctx);
        assertEquals("Host:before.example", rule(ctx.nextSnapshot()));
        // Freeze the member the watch is really open on (start-up may have moved past the first endpoint), and
        // write through the other two.
        EtcdProviderTest.await(() -> provider.session().watchedEndpoint() != null, "the watch is open");
        URI watchedUri = provider.session().watchedEndpoint();
        EtcdServer watched = members.stream().filter(m -> m.endpoint().equals(watchedUri)).findFirst()
                .orElseThrow(() -> new AssertionError("watched endpoint " + watchedUri + " is none of " + all));
        writer = new EtcdClient(all.stream().filter(u -> !u.equals(watchedUri)).toList(), null, null, null);

        // A frozen member keeps its connections open and says nothing: only the probe can tell.
        watched.freeze();
        try {
            EtcdProviderTest.await(() -> provider.session().losses() >= 1, "the probe leaves the frozen member");
            writer.put("/traefik/frontends/f1/routes/r1/rule", "Host:after.example");
            assertEquals("Host:after.example",
                    rule(ctx.snapshotWhere(c -> "Host:after.example".equals(rule(c)))));
        } finally {
            watched.thaw();
        }
    }

    private static String rule(Configuration c) {
        var f = c.frontends().get("f1");
        return f == null ? null : f.routes().get("r1").rule();
    }
}
