package dev.switchboard.kernel.routing;

import dev.switchboard.spi.http.RequestView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One configuration generation's routing: immutable, read by every loop at once without locks.
 *
 * <p>The answer is by definition that of a first-match scan of the entry point's frontends in priority order
 * (priority descending, then name ascending). To avoid trying every frontend, each entry point keeps frontends whose
 * matchers guarantee a set of hosts ({@code IndexHint.hosts}) in a hash by host, and the others in one list; both
 * hold positions in priority order, and a lookup walks the request host's list and the others list merged by
 * position, so the first frontend that matches is the one the scan would find. No allocation per request.
 */
public final class RoutingTable implements Router {
    private static final int[] NONE = new int[0];

    private final List<CompiledFrontend> frontends;
    private final Map<String, CompiledBackend> backends;
    private final Map<String, EntryPointIndex> byEntryPoint;

    private record EntryPointIndex(CompiledFrontend[] ordered, Map<String, int[]> byHost, int[] others) {
    }

    RoutingTable(List<CompiledFrontend> frontendsInOrder, Map<String, CompiledBackend> backends,
                 Set<String> entryPoints) {
        this.frontends = List.copyOf(frontendsInOrder);
        this.backends = java.util.Collections.unmodifiableMap(new TreeMap<>(backends));
        Map<String, EntryPointIndex> index = new HashMap<>();
        CompiledFrontend[] ordered = frontends.toArray(CompiledFrontend[]::new);
        for (String ep : entryPoints) {
            Map<String, List<Integer>> hosts = new HashMap<>();
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < ordered.length; i++) {
                CompiledFrontend f = ordered[i];
                if (!f.entryPoints().contains(ep)) {
                    continue;
                }
                if (f.hostHint() == null) {
                    others.add(i);
                } else {
                    for (String h : f.hostHint()) {
                        hosts.computeIfAbsent(h, k -> new ArrayList<>()).add(i);
                    }
                }
            }
            Map<String, int[]> byHost = new HashMap<>();
            hosts.forEach((h, l) -> byHost.put(h, l.stream().mapToInt(Integer::intValue).toArray()));
            index.put(ep, new EntryPointIndex(ordered, byHost,
                    others.stream().mapToInt(Integer::intValue).toArray()));
        }
        this.byEntryPoint = Map.copyOf(index);
    }

    @Override
    public FrontendRoute route(RequestView request) {
        EntryPointIndex ep = byEntryPoint.get(request.entryPoint());
        if (ep == null) {
            return null;
        }
        int[] a = ep.byHost.isEmpty() ? NONE : ep.byHost.getOrDefault(request.host(), NONE);
        int[] b = ep.others;
        int i = 0;
        int j = 0;
        CompiledFrontend[] ordered = ep.ordered;
        while (i < a.length || j < b.length) {
            int pos;
            if (j >= b.length || (i < a.length && a[i] < b[j])) {
                pos = a[i++];
            } else {
                pos = b[j++];
            }
            CompiledFrontend f = ordered[pos];
            if (f.matches(request)) {
                return f;
            }
        }
        return null;
    }

    /** Every frontend in priority order (priority descending, then name). */
    public List<CompiledFrontend> frontends() {
        return frontends;
    }

    /** Every backend by name. */
    public Map<String, CompiledBackend> backends() {
        return backends;
    }
}
