package dev.switchboard.kernel.plugin;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every extension the kernel uses, resolved once at start and looked up by name: matchers by {@code name()}
 * (case-sensitive, as rule functions are), balancers by method, expression compilers by language and configuration
 * providers by section name (those three case-insensitive). Immutable and thread-safe.
 */
public final class ExtensionRegistry {
    /** A registry with nothing in it. */
    public static final ExtensionRegistry EMPTY = new ExtensionRegistry(Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, GuardedMatcherFactory> matchers;
    private final Map<String, RegisteredBalancerFactory> balancers;
    private final Map<String, GuardedExpressionCompiler> compilers;
    private final Map<String, GuardedConfigProvider> providers;

    public ExtensionRegistry(Map<String, GuardedMatcherFactory> matchers,
                             Map<String, RegisteredBalancerFactory> balancers,
                             Map<String, GuardedExpressionCompiler> compilers,
                             Map<String, GuardedConfigProvider> providers) {
        this.matchers = Collections.unmodifiableMap(new TreeMap<>(matchers));
        this.balancers = lowerKeys(balancers);
        this.compilers = lowerKeys(compilers);
        this.providers = lowerKeys(providers);
    }

    private static <T> Map<String, T> lowerKeys(Map<String, T> in) {
        Map<String, T> out = new TreeMap<>();
        in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return Collections.unmodifiableMap(out);
    }

    /** The matcher factory for rule function {@code name} (exact case), or null. */
    public GuardedMatcherFactory matcher(String name) {
        return matchers.get(name);
    }

    /** The balancer factory for {@code method} (any case), or null. */
    public RegisteredBalancerFactory balancer(String method) {
        return balancers.get(method.toLowerCase(Locale.ROOT));
    }

    /** The expression compiler for {@code language} (any case), or null. */
    public GuardedExpressionCompiler compiler(String language) {
        return compilers.get(language.toLowerCase(Locale.ROOT));
    }

    /** The configuration provider for section {@code name} (any case), or null. */
    public GuardedConfigProvider provider(String name) {
        return providers.get(name.toLowerCase(Locale.ROOT));
    }

    public Set<String> matcherNames() {
        return matchers.keySet();
    }

    public Set<String> balancerNames() {
        return balancers.keySet();
    }

    public Set<String> compilerNames() {
        return compilers.keySet();
    }

    /** Provider names as the providers spell them. */
    public Set<String> providerNames() {
        Set<String> names = new TreeSet<>();
        providers.values().forEach(p -> names.add(p.name()));
        return names;
    }
}
