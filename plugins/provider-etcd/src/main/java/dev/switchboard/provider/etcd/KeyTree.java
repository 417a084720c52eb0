package dev.switchboard.provider.etcd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The keys under the prefix as a tree of path segments, so that the binder can walk it as Traefik v1's templates
 * did. Fixed segments ({@code frontends}, {@code loadbalancer}, ...) are looked up without regard to case (Traefik
 * v1.7 itself used both {@code passHostHeader} and {@code passhostheader}); names chosen by the user (frontend,
 * backend, server, route names) keep their case. Each node remembers whether the binder read it, so that every key
 * left unread can be reported as unknown.
 */
final class KeyTree {

    /** One path segment: maybe a value (a key ends here), maybe children (longer keys go through it). */
    static final class Node {
        final String segment;
        final String key;
        final String relative;
        String value;
        boolean read;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String segment, String key, String relative) {
            this.segment = segment;
            this.key = key;
            this.relative = relative;
        }

        /** The child named {@code name} without regard to case, or null. */
        Node child(String name) {
            Node exact = children.get(name);
            if (exact != null) {
                return exact;
            }
            for (Node c : children.values()) {
                if (c.segment.equalsIgnoreCase(name)) {
                    return c;
                }
            }
            return null;
        }

        /** The node at {@code path} ({@code a/b/c}), or null. */
        Node at(String path) {
            Node n = this;
            for (String s : path.split("/")) {
                n = n.child(s);
                if (n == null) {
                    return null;
                }
            }
            return n;
        }

        Collection<Node> children() {
            return children.values();
        }

        boolean hasValue() {
            return value != null;
        }

        /** This node and every node below it, depth first. */
        void walk(Consumer<Node> visitor) {
            visitor.accept(this);
            for (Node c : children.values()) {
                c.walk(visitor);
            }
        }

        /** Marks this node and everything below as read (a section that is accepted as a whole). */
        void markAllRead() {
            walk(n -> n.read = true);
        }

        /** The dotted key for messages, for example {@code backends.b1.servers.s1.weight}. */
        String dotted() {
            return relative.replace('/', '.');
        }

        @Override
        public String toString() {
            return key;
        }
    }

    private final Node root;

    private KeyTree(Node root) {
        this.root = root;
    }

    /** The tree of {@code kvs} (full keys), keeping only keys under {@code prefix + "/"}. */
    static KeyTree of(String prefix, Map<String, String> kvs) {
        Node root = new Node("", prefix, "");
        String start = prefix + "/";
        for (Map.Entry<String, String> e : kvs.entrySet()) {
            if (!e.getKey().startsWith(start)) {
                continue;
            }
            String rel = e.getKey().substring(start.length());
            Node n = root;
            StringBuilder path = new StringBuilder();
            for (String s : rel.split("/", -1)) {
                if (path.length() > 0) {
                    path.append('/');
                }
                path.append(s);
                Node next = n.children.get(s);
                if (next == null) {
                    next = new Node(s, start + path, path.toString());
                    n.children.put(s, next);
                }
                n = next;
            }
            n.value = e.getValue();
        }
        return new KeyTree(root);
    }

    Node root() {
        return root;
    }

    /**
     * A node that was read and whose path differs from {@code unread}'s only in case ({@code passHostHeader} beside
     * {@code passhostheader}), or null.
     */
    Node readTwin(Node unread) {
        String[] segments = unread.relative.split("/", -1);
        return twin(root, segments, 0, unread);
    }

    private static Node twin(Node at, String[] segments, int i, Node unread) {
        if (i == segments.length) {
            return at != unread && at.read && at.hasValue() ? at : null;
        }
        for (Node c : at.children()) {
            if (c.segment.equalsIgnoreCase(segments[i])) {
                Node found = twin(c, segments, i + 1, unread);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Every key with a value that no one read, in key order. */
    List<Node> unread() {
        List<Node> out = new ArrayList<>();
        root.walk(n -> {
            if (n.hasValue() && !n.read) {
                out.add(n);
            }
        });
        return out;
    }
}
