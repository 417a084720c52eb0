package dev.switchboard.provider.etcd;

import dev.switchboard.spi.config.ConfigException;
import dev.switchboard.spi.config.ConfigProblem;
import dev.switchboard.spi.config.ConfigProvider;
import dev.switchboard.spi.config.ProviderContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import org.pf4j.Extension;

/**
 * The {@code [etcd]} provider: Traefik v1's key-value layout read from an etcd v3 store and followed for changes.
 *
 * <pre>
 * [etcd]
 *   endpoint = "127.0.0.1:2379"   # or "a:2379,b:2379", or endpoints = ["a:2379", "b:2379"]
 *   prefix = "/traefik"
 *   watch = true
 *   useAPIV3 = true               # the v2 API is refused
 *   # username = "switchboard"  password = "..."  [etcd.tls] ca, cert, key, insecureSkipVerify
 * </pre>
 *
 * <p>{@link #start} reads the prefix on the caller's thread and publishes the first snapshot before returning when
 * etcd answers; when it does not, it returns at once and a daemon thread keeps trying with backoff (the proxy starts
 * with what the other providers give). See {@link EtcdSession} for the watch and its failures, {@link KvBinder} for
 * the keys.
 *
 * <p>Talks to etcd's documented v3 JSON gateway with the JDK's HTTP client rather than through jetcd: a provider
 * needs range, watch and authenticate only, and gRPC with Netty would put tens of megabytes and their own threads in
 * every proxy's plugin folder.
 */
@Extension
public final class EtcdProvider implements ConfigProvider {

    private EtcdSession session;
    private LongConsumer beforeWatch = revision -> { };

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public synchronized void start(ProviderContext context) throws ConfigException {
        if (session != null) {
            throw new IllegalStateException("the etcd provider is already started");
        }
        EtcdSettings settings = settings(context);
        session = new EtcdSession(settings, client(settings, context), context, beforeWatch);
        session.start();
    }

    @Override
    public void check(ProviderContext context) throws ConfigException {
        EtcdSettings settings = settings(context);
        EtcdClient client = client(settings, context);
        EtcdClient.Range range;
        try {
            range = client.range(settings.prefix() + "/");
        } catch (IOException e) {
            throw new ConfigException(new ConfigProblem(context.settings().origin(), "etcd.endpoint",
                    "cannot read " + settings.prefix() + "/ from etcd at " + settings.endpoints() + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(new ConfigProblem(context.settings().origin(), "etcd", "interrupted"));
        }
        KvBinder.Result result = KvBinder.bind(settings.prefix(), range.kvs());
        result.warnings().forEach(context::warn);
        if (result.ok()) {
            context.publish(result.configuration());
        } else {
            context.reject(new ConfigException(result.errors()));
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** The running session (tests), or null. */
    synchronized EtcdSession session() {
        return session;
    }

    /** Tests: runs {@code hook} on the watch thread before each watch is opened (given the revision read). */
    synchronized void beforeWatch(LongConsumer hook) {
        this.beforeWatch = hook;
    }

    private static EtcdSettings settings(ProviderContext context) throws ConfigException {
        List<ConfigProblem> warnings = new ArrayList<>();
        EtcdSettings settings = EtcdSettings.from(context.settings(), warnings);
        warnings.forEach(context::warn);
        return settings;
    }

    private static EtcdClient client(EtcdSettings settings, ProviderContext context) throws ConfigException {
        SSLContext ssl = null;
        if (settings.tls() != null) {
            try {
                ssl = TlsContexts.of(settings.tls());
            } catch (IOException e) {
                throw new ConfigException(new ConfigProblem(context.settings().origin(), "etcd.tls", e.getMessage()));
            }
        }
        return new EtcdClient(settings.endpoints(), settings.username(), settings.password(), ssl);
    }
}
