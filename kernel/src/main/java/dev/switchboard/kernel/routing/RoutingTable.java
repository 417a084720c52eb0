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
 * (priority descending, then name ascending). To avoid trying every frontend, each entry point files every frontend
 * by the strongest guarantee its matchers give ({@code IndexHint}): under each of its hosts in a hash, else under each
 * of its path prefixes in a character trie, else in one list of the rest. All these lists hold positions in priority
 * order. A lookup takes the request host's list, the lists of every trie node along the request path and the rest,
 * and walks them merged by position, so the first frontend that matches is exactly the one the scan would find.
 * Frontends whose guarantees cannot hold (empty host intersection, no prefix) are filed nowhere: they never match.
 *
 * <p>No allocation per request: the merge uses a per-thread scratch area.
 */
public final class RoutingTable implements Router {
    private static final int[] NONE = new int[0];
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final List<CompiledFrontend> frontends;
    private final Map<String, CompiledBackend> backends;
    private final Map<String, EntryPointIndex> byEntryPoint;

    /** The lists one lookup merges, and a cursor in each. Grows to the deepest trie path it meets. */
    private static final class Scratch {
        int[][] lists = new int[8][];
        int[] cursors = new int[8];

        void ensure(int n) {
            if (lists.length < n) {
                lists = new int[n * 2][];
                cursors = new int[n * 2];
            }
        }
    }

    /** A node of the path-prefix trie: children by character (sorted keys, binary search), positions ending here. */
    private static final class PrefixNode {
        char[] keys = new char[0];
        PrefixNode[] children = new PrefixNode[0];
        int[] positions = NONE;

        PrefixNode child(char c) {
            int i = java.util.Arrays.binarySearch(keys, c);
            return i < 0 ? null : children[i];
        }

        PrefixNode childOrCreate(char c) {
            int i = java.util.Arrays.binarySearch(keys, c);
            if (i >= 0) {
                return children[i];
            }
            int at = -i - 1;
            char[] k = new char[keys.length + 1];
            PrefixNode[] ch = new PrefixNode[children.length + 1];
            System.arraycopy(keys, 0, k, 0, at);
            System.arraycopy(children, 0, ch, 0, at);
            k[at] = c;
            ch[at] = new PrefixNode();
            System.arraycopy(keys, at, k, at + 1, keys.length - at);
            System.arraycopy(children, at, ch, at + 1, children.length - at);
            keys = k;
            children = ch;
            return ch[at];
        }

        void add(int position) {
            if (positions.length > 0 && positions[positions.length - 1] == position) {
                return;
            }
            int[] p = java.util.Arrays.copyOf(positions, positions.length + 1);
            p[positions.length] = position;
            positions = p;
        }
    }

    private record EntryPointIndex(CompiledFrontend[] ordered, Map<String, int[]> byHost, PrefixNode prefixes,
                                   int maxDepth, int[] others) {
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
            PrefixNode root = new PrefixNode();
            int maxDepth = 0;
            for (int i = 0; i < ordered.length; i++) {
                CompiledFrontend f = ordered[i];
                if (!f.entryPoints().contains(ep)) {
                    continue;
                }
                if (f.hostHint() != null) {
                    for (String h : f.hostHint()) {
                        hosts.computeIfAbsent(h, k -> new ArrayList<>()).add(i);
                    }
                } else if (f.prefixHint() != null && !f.prefixHint().contains("")) {
                    // Positions are added in ascending order, so every node's list stays sorted.
                    for (String prefix : f.prefixHint()) {
                        PrefixNode n = root;
                        for (int c = 0; c < prefix.length(); c++) {
                            n = n.childOrCreate(prefix.charAt(c));
                        }
                        n.add(i);
                        maxDepth = Math.max(maxDepth, prefix.length());
                    }
                } else {
                    others.add(i);
                }
            }
            Map<String, int[]> byHost = new HashMap<>();
            hosts.forEach((h, l) -> byHost.put(h, l.stream().mapToInt(Integer::intValue).toArray()));
            index.put(ep, new EntryPointIndex(ordered, byHost, maxDepth == 0 ? null : root, maxDepth,
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
        Scratch s = SCRATCH.get();
        s.ensure(ep.maxDepth + 2);
        int[][] lists = s.lists;
        int n = 0;
        if (!ep.byHost.isEmpty()) {
            int[] hostList = ep.byHost.getOrDefault(request.host(), NONE);
            if (hostList.length > 0) {
                lists[n++] = hostList;
            }
        }
        if (ep.others.length > 0) {
            lists[n++] = ep.others;
        }
        if (ep.prefixes != null) {
            String path = request.path();
            PrefixNode node = ep.prefixes;
            for (int i = 0; i < path.length() && node != null; i++) {
                node = node.child(path.charAt(i));
                if (node != null && node.positions.length > 0) {
                    lists[n++] = node.positions;
                }
            }
        }
        int[] cursors = s.cursors;
        for (int i = 0; i < n; i++) {
            cursors[i] = 0;
        }
        CompiledFrontend[] ordered = ep.ordered;
        int last = -1;
        while (true) {
            int best = -1;
            int bestPos = Integer.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                if (cursors[i] < lists[i].length && lists[i][cursors[i]] < bestPos) {
                    bestPos = lists[i][cursors[i]];
                    best = i;
                }
            }
            if (best < 0) {
                clear(lists, n);
                return null;
            }
            cursors[best]++;
            if (bestPos == last) {
                continue; // filed under two prefixes of this path: already tried
            }
            last = bestPos;
            CompiledFrontend f = ordered[bestPos];
            if (f.matches(request)) {
                clear(lists, n);
                return f;
            }
        }
    }

    private static void clear(int[][] lists, int n) {
        for (int i = 0; i < n; i++) {
            lists[i] = null;
        }
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
