package dev.switchboard.kernel.testing;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ConfigProvider;
import dev.switchboard.spi.config.ProviderContext;
import dev.switchboard.spi.model.Origin;
import java.util.Map;
import org.pf4j.Extension;

/**
 * A configuration provider for kernel tests ({@code [inline]}): each key of {@code [inline.frontends]} is a frontend
 * {@code name = "RULE -> http://server"} with a backend of the same name; {@code reject = "message"} makes it report
 * an invalid source; {@code warn = "message"} a warning; each key of {@code [inline.breakers]} gives that backend a
 * circuit breaker {@code name = "EXPRESSION"} in the kernel test language {@code test} (tripped for 60 s, checked every
 * 10 ms).
 */
@Extension
public final class InlineProvider implements ConfigProvider {
    @Override
    public String name() {
        return "inline";
    }

    @Override
    public void start(ProviderContext context) {
        read(context);
    }

    @Override
    public void check(ProviderContext context) {
        read(context);
    }

    private static void read(ProviderContext context) {
        Map<String, Object> values = context.settings().values();
        Origin origin = context.settings().origin();
        if (values.get("warn") != null) {
            context.warn(new ConfigProblem(origin, "inline.warn", values.get("warn").toString()));
        }
        if (values.get("reject") != null) {
            context.reject(new ConfigException(new ConfigProblem(origin.atLine(origin.line() + 1), "inline.reject",
                    values.get("reject").toString())));
            return;
        }
        Configs c = Configs.config();
        Object fronts = values.get("frontends");
        if (fronts instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String[] parts = e.getValue().toString().split("->");
                String name = e.getKey().toString();
                c.frontend(name, name, parts[0].trim());
                c.backend(name, parts[1].trim());
            }
        }
        Object breakers = values.get("breakers");
        if (breakers instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c.circuitBreaker(e.getKey().toString(), e.getValue().toString(), "test",
                        Map.of("fallbackDuration", "60s", "checkPeriod", "10ms"));
            }
        }
        context.publish(c.build());
    }

    @Override
    public void close() {
    }
}
