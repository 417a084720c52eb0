package dev.switchboard.kernel.net;

import dev.switchboard.kernel.balance.BackendBalancing;
import dev.switchboard.kernel.breaker.BreakerSettings;
import dev.switchboard.kernel.breaker.CircuitBreaker;
import dev.switchboard.kernel.http.BodyFraming;
import dev.switchboard.kernel.http.Http1Parser;
import dev.switchboard.kernel.http.Http1Parser.Event;
import dev.switchboard.kernel.http.HttpHead;
import dev.switchboard.kernel.routing.BackendRoute;
import dev.switchboard.kernel.routing.FrontendRoute;
import dev.switchboard.kernel.routing.Upstream;
import dev.switchboard.spi.match.Modifier;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and the exchanges it carries, on one loop for its whole life.
 *
 * <h2>Life cycle</h2>
 * A connection starts in {@link Phase#HEAD}: it waits for a request head, under the idle timeout while nothing of a
 * request has arrived. Bytes are parsed as they come; a malformed head is answered (400, 414, 431, 501, 505) and
 * the connection goes to {@link Phase#DRAIN}. A complete head starts an exchange ({@link Phase#EXCHANGE}): the
 * request is routed (404 if nothing matches), the frontend's modifiers run, the backend's circuit breaker (if any)
 * admits the request or has its fallback answered at once, the backend picks a server (503 if none, 502 if the
 * balancer failed), and an upstream connection is taken from the loop's pool or opened (on this loop, so
 * the pair needs no lock). The rewritten head ({@code proxyToServerRequest}) is queued on the upstream connection
 * and the request body follows it as it arrives ({@code clientToProxyRequest} body, re-framed), while the response
 * ({@code serverToProxyResponse}) is parsed and sent on ({@code proxyToClientResponse}) as it arrives. Each side
 * reads only when the other has room for what it reads: a full output buffer turns the reader's {@code OP_READ} off,
 * so no body is ever held whole.
 *
 * <p>When both the request and the response are complete the exchange ends: the upstream connection goes back to
 * the pool if it is at a message boundary with nothing pending and both sides allow keep-alive, else it is closed.
 * The client connection goes back to {@link Phase#HEAD} (and parses a pipelined request already received), or, if
 * the request or response asked for it (RFC 9112 §9.3, HTTP/1.0 rules), or the request was not read whole, to
 * {@link Phase#DRAIN}: it writes what is left, shuts its output down and enters {@link Phase#LINGER}, where it reads
 * and discards until the client closes or a short timeout passes, so that a client still sending does not get a
 * reset that destroys the response it has not read yet.
 *
 * <p>Failures: a server that cannot be reached, closes before answering, or answers malformed gets the client a 502
 * (a pooled connection that the server closed while idle is retried once on a fresh one for an idempotent request
 * without a body); if the response had started, the client connection is closed instead, so a short body never looks
 * complete. A client that goes away mid-exchange closes the upstream connection too (it is not at a boundary). Every
 * exception is confined to this connection: it is closed, logged once, and the loop goes on.
 */
final class ClientConnection extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** How long a closing connection keeps reading (and discarding) so the client gets our response, not a reset. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Room kept free in an output buffer for a chunk's size line and CRLF. */
    private static final int CHUNK_OVERHEAD = 24;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final String[] NO_TRAILERS = new String[0];
    /** Picks a retry may make to find a server other than the one that just failed. */
    private static final int RETRY_PICKS = 3;

    enum Phase { HEAD, EXCHANGE, TUNNEL, DRAIN, LINGER, CLOSED }

    /** What the connection's phase deadline means when it expires. */
    private enum Timer { NONE, IDLE, HEADER, DRAIN, LINGER }

    /** How long a closing connection may take to write the rest of its last response (unless writeTimeout is set). */
    static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    final long id;
    private final ListenerContext listener;
    /** The client's address: the object the channel keeps anyway; its text comes from the loop's {@link AddressNames}. */
    private final InetAddress peerAddress;
    private final int peerPort;
    private final boolean trustedPeer;
    /** Lent by the loop while a request is being read or exchanged; null while idle between requests. */
    private Http1Parser parser;
    /** Neighbours in the loop's {@link Registry}. */
    private ClientConnection previousClient;
    private ClientConnection nextClient;
    private final ProxySettings settings;
    /** What this connection's own deadline (it is its timer node) stands for: idle, header read, drain or linger. */
    private Timer timer = Timer.NONE;
    /** {@code readTimeout}: from the first byte of a request until it is read whole. */
    private final TimerQueue.Deadline readDeadline;
    /** {@code writeTimeout}: from the end of the request head until the response is written whole. */
    private final TimerQueue.Deadline writeDeadline;
    /** {@code responseHeaderTimeout}: from the request sent whole until the response head. */
    private final TimerQueue.Deadline responseHeaderDeadline;
    Phase phase = Phase.HEAD;

    // The exchange in flight (valid in EXCHANGE).
    private boolean exchangeActive;
    /**
     * The request of the exchange, lent by the loop for the exchange: it also holds what only the exchange needs
     * (head, frontend, breaker, limits, start time), so an idle connection does not carry those fields.
     */
    private ProxyRequest request;
    private BackendRoute backend;
    private Upstream upstream;
    UpstreamConnection up;
    private boolean requestComplete;
    private boolean requestChunkedOut;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean responseChunkedOut;
    private boolean responseBytesSeen;
    private boolean interim;
    private boolean localResponse;
    private boolean recorded;
    private boolean upstreamReusable;
    private boolean retried;
    private boolean closeAfterResponse;
    private boolean upgradeRequested;
    private boolean clientOutputShut;
    private boolean upstreamOutputShut;
    private int status;

    private ClientConnection(EventLoop loop, SocketChannel channel, ListenerContext listener, InetSocketAddress peer) {
        super(loop, channel);
        this.id = loop.context.nextConnectionId();
        this.listener = listener;
        InetAddress address = peer == null ? null : peer.getAddress();
        this.peerAddress = address;
        this.peerPort = peer == null ? 0 : peer.getPort();
        this.trustedPeer = listener.trustedProxies().contains(address);
        this.settings = loop.context.settings;
        // A timeout that is not set (zero, the default for three of them) needs no deadline object per connection.
        this.readDeadline = TimerQueue.Deadline.of(loop.timers, settings.readTimeout(), this::readTimedOut);
        this.writeDeadline = TimerQueue.Deadline.of(loop.timers, settings.writeTimeout(), this::writeTimedOut);
        this.responseHeaderDeadline = TimerQueue.Deadline.of(loop.timers, settings.responseHeaderTimeout(),
                this::responseHeaderTimedOut);
    }

    /** Takes over an accepted channel on {@code loop} (loop thread). */
    static void open(EventLoop loop, SocketChannel channel, ListenerContext listener) {
        InetSocketAddress peer;
        try {
            peer = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            Acceptor.closeQuietly(channel);
            return;
        }
        ClientConnection c = new ClientConnection(loop, channel, listener, peer);
        try {
            c.key = loop.register(channel, SelectionKey.OP_READ, c);
        } catch (RuntimeException e) {
            LOG.debug("{}: could not register: {}", c, e.toString());
            Acceptor.closeQuietly(channel);
            return;
        }
        loop.clients.add(c);
        c.startTimer(Timer.IDLE, c.settings.idleTimeout().toNanos());
        LOG.debug("{}: accepted on entry point {}", c, listener.entryPoint());
    }

    // ------------------------------------------------------------------------------------------------ events

    @Override
    public void onReady(SelectionKey key) {
        if (key.isReadable()) {
            try {
                readIn();
            } catch (IOException e) {
                LOG.debug("{}: read failed: {}", this, e.toString());
                clientGone("read failed");
                return;
            }
            if (phase == Phase.LINGER) {
                if (in != null) {
                    in.position(in.limit());
                    releaseInIfEmpty();
                }
                if (inputClosed) {
                    close();
                }
                return;
            }
        }
        process();
    }

    @Override
    public void onFailure(Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("{}: closed: {}", this, cause.toString());
        } else {
            LOG.warn("{}: closed after an unexpected failure", this, cause);
        }
        close();
    }

    /** Makes all the progress possible with the bytes at hand, then sets interest; called after any readiness. */
    void process() {
        if (closed) {
            return;
        }
        try {
            boolean again = true;
            while (again && !closed) {
                again = false;
                switch (phase) {
                    case HEAD -> {
                        again = readHead();
                        flushSome();
                    }
                    case EXCHANGE -> {
                        again = pumpRequest();
                        if (phase == Phase.EXCHANGE) {
                            again |= pumpResponse();
                        }
                        if (phase == Phase.EXCHANGE && up != null) {
                            again |= up.flushToServer();
                        }
                        if (!closed) {
                            again |= flushSome();
                        }
                        if (phase == Phase.EXCHANGE) {
                            again |= finishExchangeIfDone();
                        }
                    }
                    case TUNNEL -> again = relayTunnel();
                    case DRAIN -> {
                        flushSome();
                        if (flushed()) {
                            startLinger();
                        }
                    }
                    default -> {
                    }
                }
            }
            updateInterest();
        } catch (IOException e) {
            LOG.debug("{}: I/O failure: {}", this, e.toString());
            clientGone("write failed");
        } catch (RuntimeException e) {
            LOG.warn("{}: closed after an unexpected failure", this, e);
            close();
        }
    }

    private void updateInterest() {
        if (closed) {
            return;
        }
        int ops = wantedInterest();
        if (phase == Phase.DRAIN) {
            ops &= ~SelectionKey.OP_READ;
        }
        setInterest(ops);
        if (up != null) {
            up.updateInterest();
        }
        if (phase == Phase.TUNNEL && up != null && upstreamOutputShut) {
            up.setInterest(up.key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    // ------------------------------------------------------------------------------------------------ request head

    private boolean readHead() {
        if (!hasInput()) {
            if (inputClosed) {
                endOfClient();
            }
            return false;
        }
        Event ev = parser().next(in, 0);
        switch (ev) {
            case NEED_MORE -> {
                releaseInIfEmpty();
                if (inputClosed) {
                    endOfClient();
                } else if (timer == Timer.IDLE && !atRequestBoundary()) {
                    // the first bytes of a request: from now on it has headerReadTimeout (and readTimeout) to arrive;
                    // with no header-read deadline configured, the idle timeout keeps bounding a stalled head
                    long now = System.nanoTime();
                    if (settings.headerReadTimeout().toNanos() > 0) {
                        startTimer(Timer.HEADER, settings.headerReadTimeout().toNanos());
                    }
                    if (!readDeadline.isSet()) {
                        readDeadline.set(now, settings.readTimeout().toNanos());
                    }
                }
                return false;
            }
            case ERROR -> {
                LOG.debug("{}: rejected request with {}: {}", this, parser().errorStatus(), parser().errorReason());
                rejectHead(parser().errorStatus());
                return true;
            }
            case HEAD -> {
                startExchange(parser().head());
                return true;
            }
            default -> throw new IllegalStateException("unexpected " + ev + " before a request head");
        }
    }

    /** Answers a request whose head was not accepted, and closes. */
    private void rejectHead(int st) {
        closeAfterResponse = true;
        readDeadline.clear();
        stage(HeadEncoder.local(st, HttpStatus.reason(st), null, true));
        drain();
    }

    /** The client closed its side between requests (or in the middle of a head): finish writing, then close. */
    private void endOfClient() {
        if (flushed()) {
            close();
        } else {
            drain();
        }
    }

    private void startExchange(HttpHead h) {
        String peerIp = loop.addressNames.of(peerAddress);
        phase = Phase.EXCHANGE;
        exchangeActive = true;
        loop.exchangeStarted();
        stopTimer();
        request = loop.spareRequests.take().start(h, trustedPeer
                ? ForwardedFor.clientAddress(h, peerIp, listener.trustedProxies()) : peerIp, listener.entryPoint());
        long exchangeStart = request.exchangeStart = System.nanoTime();
        if (!readDeadline.isSet()) {
            readDeadline.set(exchangeStart, settings.readTimeout().toNanos()); // the head came in one read
        }
        writeDeadline.set(exchangeStart, settings.writeTimeout().toNanos());
        requestComplete = false;
        responseStarted = false;
        responseComplete = false;
        responseBytesSeen = false;
        interim = false;
        localResponse = false;
        recorded = false;
        upstreamReusable = false;
        retried = false;
        status = 0;
        closeAfterResponse = !h.requestKeepAlive() || loop.context.shuttingDown;
        // RFC 9110 §7.8: an upgrade is asked with Upgrade plus the "upgrade" connection option
        upgradeRequested = h.versionMinor() >= 1 && h.header("Upgrade") != null && h.hasToken("Connection", "upgrade");

        FrontendRoute fe;
        try {
            fe = loop.context.router.get().route(request);
        } catch (Throwable t) {
            LOG.warn("{}: routing failed for {} {}", this, h.method(), request.path(), t);
            respondLocal(500, HttpStatus.reason(500), null);
            return;
        }
        if (fe == null) {
            respondLocal(404, "404 page not found\n", null);
            return;
        }
        request.frontend = fe;
        List<Modifier> modifiers = fe.modifiers();
        for (int i = 0; i < modifiers.size(); i++) { // indexed: no iterator per request
            Modifier m = modifiers.get(i);
            try {
                m.apply(request);
            } catch (Throwable t) {
                LOG.warn("{}: frontend {}: modifier {} failed", this, fe.name(), m.getClass().getName(), t);
                respondLocal(500, HttpStatus.reason(500), null);
                return;
            }
            if (request.respondStatus != 0) {
                respondLocal(request.respondStatus, "", request.respondLocation);
                return;
            }
        }
        backend = fe.backend();
        CircuitBreaker cb = backend.breaker();
        if (cb != null) {
            if (cb.admit(exchangeStart) == CircuitBreaker.Decision.FALLBACK) {
                // Tripped, or held back by the recovery ramp: no server is touched, and this is not an outcome.
                BreakerSettings.Fallback fb = cb.fallback();
                respondLocal(fb.status(), fb.body(), fb.location());
                return;
            }
            request.breaker = cb;
        }
        // Traefik v1's order: the breaker wraps maxConn, so a 429 is one of the breaker's outcomes too.
        BackendBalancing balancing = backend.balancing();
        if (balancing.limiter() != null) {
            request.permit = balancing.limiter().tryAcquire(request); // released once, in endExchange
            if (request.permit == null) {
                respondLocal(429, balancing.limiter().rejection(), null);
                return;
            }
            request.limiter = balancing.limiter();
        }
        request.attempts = 1;
        Upstream u;
        try {
            u = request.stuckTo = balancing.stuck(request);
            if (u == null) {
                u = backend.pick(request);
            }
        } catch (Throwable t) {
            LOG.warn("{}: frontend {}: backend {} failed to pick a server", this, fe.name(), backend.name(), t);
            u = Upstream.FAILED;
        }
        if (u == null) {
            record(503);
            respondLocal(503, HttpStatus.reason(503), null);
            return;
        }
        if (u == Upstream.FAILED || u.address() == null || u.address().isUnresolved()) {
            if (u != Upstream.FAILED) {
                upstream = u;
                record(502);
            }
            respondLocal(502, HttpStatus.reason(502), null);
            return;
        }
        upstream = u;
        HeadEncoder.Request r = request.forward;
        r.path = request.path();
        r.target = h.requestTarget();
        String clientHost = h.requestTarget().authority() != null ? h.requestTarget().authority() : request.rawHost();
        r.host = fe.passHostHeader() && !clientHost.isEmpty() ? clientHost : u.authority();
        r.clientIp = peerIp;
        r.trusted = trustedPeer;
        r.serverName = loop.context.serverName;
        r.chunked = h.framing() == BodyFraming.CHUNKED;
        r.contentLength = h.contentLength(); // a Content-Length: 0 is kept: some servers want it on a POST
        r.upgrade = upgradeRequested;
        requestChunkedOut = r.chunked;
        connectUpstream(false);
    }

    private void connectUpstream(boolean fresh) {
        UpstreamConnection c = fresh ? null : loop.upstreams.take(upstream.poolKey());
        if (c == null) {
            try {
                c = UpstreamConnection.connect(loop, upstream.poolKey(), upstream.address(), this);
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: backend {}: connect to {} failed: {}", this, backend.name(), upstream.address(),
                        e.toString());
                if (!retryElsewhere("connect failed: " + e)) {
                    failExchange(502);
                }
                return;
            }
        }
        c.owner = this;
        c.parser.reset();
        c.parser.expectResponseTo(head().method());
        up = c;
        HeadEncoder.request(request, request.forward, loop.heads);
        c.stage(loop.heads);
        if (!c.connected) {
            c.dialDeadline.set(System.nanoTime(), settings.dialTimeout().toNanos());
        }
        if (requestComplete) {
            responseHeaderDeadline.set(System.nanoTime(), settings.responseHeaderTimeout().toNanos());
        }
    }

    /**
     * A try that never reached the server (no connection, so no byte of the request was sent) goes through the
     * balancer again if {@code [retry]} allows another (reference §5.7); false when it does not.
     */
    private boolean retryElsewhere(String why) {
        if (request.attempts >= backend.balancing().attempts() || responseStarted) {
            return false;
        }
        Upstream next;
        try {
            next = backend.pick(request);
            // the balancer may hand back the server that just failed (a sticky try, or its turn came again)
            for (int i = 0; i < RETRY_PICKS && next != null && next.poolKey() != null
                    && next.poolKey().equals(upstream.poolKey()); i++) {
                next = backend.pick(request);
            }
        } catch (Throwable t) {
            return false;
        }
        if (next == null || next == Upstream.FAILED || next.address() == null || next.address().isUnresolved()) {
            return false;
        }
        request.attempts++;
        LOG.debug("{}: backend {}: server {} failed before the request was sent ({}); try {} of {} on server {}",
                this, backend.name(), upstream.server().name(), why, request.attempts, backend.balancing().attempts(),
                next.server().name());
        abandonUpstream();
        upstream = next;
        connectUpstream(false);
        return true;
    }

    /** The upstream connection {@code c} could not be established. */
    void upstreamConnectFailed(UpstreamConnection c, IOException e) {
        LOG.debug("{}: backend {}: connect to {} failed: {}", this, backend == null ? "?" : backend.name(),
                c.address, e.toString());
        if (c == up) {
            if (!retryElsewhere("connect failed: " + e)) {
                failExchange(502);
            }
        } else {
            c.closeChannel();
        }
        process();
    }

    // ------------------------------------------------------------------------------------------------ request body

    private boolean pumpRequest() {
        if (requestComplete) {
            return false;
        }
        boolean progress = false;
        while (true) {
            if (!hasInput() && parser().inBody() && !parser().bodyEndsWithoutInput()) {
                if (inputClosed && !responseComplete) {
                    clientGone("client closed during the request");
                    return true;
                }
                return progress;
            }
            long max;
            if (localResponse || up == null) {
                if (head().framing() != BodyFraming.NONE) {
                    return progress; // not read: the connection closes after the response
                }
                max = 0;
            } else {
                if (!up.connected) {
                    return progress;
                }
                int room = up.outRoom();
                if (room < MIN_ROOM) {
                    return progress;
                }
                max = requestChunkedOut ? room - CHUNK_OVERHEAD : room;
            }
            Event ev = parser().next(in == null ? EMPTY : in, max);
            switch (ev) {
                case NEED_MORE -> {
                    releaseInIfEmpty();
                    return progress;
                }
                case CONTENT -> {
                    if (!up.outputBroken) {
                        copyBody(up.out, in, parser().contentStart(), parser().contentLength(), requestChunkedOut);
                    }
                    progress = true;
                }
                case MESSAGE_END -> {
                    requestComplete = true;
                    readDeadline.clear();
                    if (!localResponse && up != null && requestChunkedOut && !up.outputBroken) {
                        HeadEncoder.lastChunk(parser().trailers(), loop.heads);
                        up.stage(loop.heads);
                    }
                    if (!localResponse && up != null && !responseStarted) {
                        responseHeaderDeadline.set(System.nanoTime(), settings.responseHeaderTimeout().toNanos());
                    }
                    releaseInIfEmpty();
                    return true;
                }
                case ERROR -> {
                    LOG.debug("{}: malformed request body: {}", this, parser().errorReason());
                    closeAfterResponse = true;
                    if (!responseStarted) {
                        abandonUpstream();
                        respondLocal(parser().errorStatus(), HttpStatus.reason(parser().errorStatus()), null);
                    } else {
                        close();
                    }
                    return true;
                }
                default -> throw new IllegalStateException("unexpected " + ev + " in a request body");
            }
        }
    }

    /** Copies body bytes {@code [start, start+len)} of {@code src} into {@code dst}, as one chunk if asked. */
    static void copyBody(ByteBuffer dst, ByteBuffer src, int start, int len, boolean chunked) {
        if (chunked) {
            putHex(dst, len);
            dst.put(CRLF);
        }
        dst.put(dst.position(), src, start, len);
        dst.position(dst.position() + len);
        if (chunked) {
            dst.put(CRLF);
        }
    }

    private static void putHex(ByteBuffer dst, long n) {
        int shift = 60;
        while (shift > 0 && ((n >>> shift) & 0xf) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            int d = (int) ((n >>> shift) & 0xf);
            dst.put((byte) (d < 10 ? '0' + d : 'a' + d - 10));
        }
    }

    // ------------------------------------------------------------------------------------------------ response

    private boolean pumpResponse() {
        if (up == null || responseComplete) {
            return false;
        }
        boolean progress = false;
        while (up != null && !responseComplete) {
            if (!moveStaged()) {
                return progress;
            }
            if (!up.hasInput() && !up.parser.bodyEndsWithoutInput()) {
                if (up.inputClosed) {
                    upstreamEnded();
                    return true;
                }
                up.releaseInIfEmpty();
                return progress;
            }
            int room = outRoom();
            if (room < MIN_ROOM) {
                return progress;
            }
            responseBytesSeen = true;
            Event ev = up.parser.next(up.in == null ? EMPTY : up.in, responseChunkedOut ? room - CHUNK_OVERHEAD : room);
            switch (ev) {
                case NEED_MORE -> up.releaseInIfEmpty();
                case HEAD -> {
                    onResponseHead(up.parser.head());
                    if (phase != Phase.EXCHANGE) {
                        return true; // upgraded (what follows is tunnel data) or closed
                    }
                    progress = true;
                }
                case CONTENT -> {
                    copyBody(out, up.in, up.parser.contentStart(), up.parser.contentLength(), responseChunkedOut);
                    progress = true;
                }
                case MESSAGE_END -> {
                    progress = true;
                    if (interim) {
                        interim = false;
                        up.parser.expectResponseTo(head().method());
                    } else {
                        responseEnded(up.parser.trailers());
                    }
                }
                case ERROR -> {
                    upstreamMalformed(up.parser.errorReason());
                    return true;
                }
                default -> throw new IllegalStateException("unexpected " + ev);
            }
        }
        return true;
    }

    private void onResponseHead(HttpHead h) {
        int st = h.status();
        if (st < 200 && st != 101) {
            interim = true;
            if (head().versionMinor() >= 1) {
                HeadEncoder.interim(h, loop.heads);
                stage(loop.heads); // 100 Continue, 103 Early Hints: the client may wait for them
            }
            return;
        }
        if (st == 101) {
            if (!upgradeRequested || !requestComplete) {
                upstreamMalformed("101 Switching Protocols without an upgrade request");
                return;
            }
            responseHeaderDeadline.clear();
            status = st;
            record(st);
            HeadEncoder.response(h, false, false, "Upgrade", true, stickyCookie(), loop.heads);
            stage(loop.heads);
            responseStarted = true;
            startTunnel();
            return;
        }
        responseHeaderDeadline.clear();
        status = st;
        record(st);
        boolean client11 = head().versionMinor() >= 1;
        BodyFraming f = h.framing();
        boolean keepLength = f == BodyFraming.NONE || f == BodyFraming.LENGTH;
        responseChunkedOut = false;
        if (!keepLength) {
            if (client11) {
                responseChunkedOut = true;
            } else {
                closeAfterResponse = true; // HTTP/1.0 client: the body ends when we close
            }
        }
        upstreamReusable = h.versionMinor() >= 1 && !h.hasToken("Connection", "close") && f != BodyFraming.CLOSE;
        if (inputClosed || loop.context.shuttingDown) {
            closeAfterResponse = true;
        }
        String connection = closeAfterResponse ? "close" : client11 ? null : "keep-alive";
        HeadEncoder.response(h, responseChunkedOut, keepLength, connection, false, stickyCookie(), loop.heads);
        stage(loop.heads);
        responseStarted = true;
    }

    /** The sticky cookie to set: when the backend is sticky and the request was not sent where its cookie said. */
    private String stickyCookie() {
        var sticky = backend.balancing().sticky();
        return sticky == null || upstream == request.stuckTo ? null : sticky.setCookie(upstream);
    }

    // ------------------------------------------------------------------------------------------------ tunnel

    /**
     * After a 101 to an upgrade request, the two connections carry bytes both ways unchanged until both sides closed
     * (a half-close is passed on), or either fails.
     */
    private void startTunnel() {
        phase = Phase.TUNNEL;
        readDeadline.clear();
        writeDeadline.clear();
        LOG.debug("{}: frontend {} backend {}: upgraded to {}, tunnelling via {}", this,
                request.frontend == null ? "-" : request.frontend.name(), backend.name(), head().header("Upgrade"), up);
    }

    private boolean relayTunnel() throws IOException {
        if (up == null) {
            close();
            return false;
        }
        boolean progress = relay(this, up);
        progress |= relay(up, this);
        progress |= up.flushToServer();
        progress |= flushSome();
        if (up.outputBroken) {
            close();
            return false;
        }
        if (inputClosed && !hasInput() && up.flushed() && !upstreamOutputShut) {
            upstreamOutputShut = true;
            up.channel.shutdownOutput();
        }
        if (up.inputClosed && !up.hasInput() && flushed() && !clientOutputShut) {
            clientOutputShut = true;
            channel.shutdownOutput();
        }
        if (upstreamOutputShut && clientOutputShut) {
            LOG.debug("{}: tunnel closed by both sides", this);
            close();
            return false;
        }
        return progress;
    }

    /** Moves what {@code from} has read into what {@code to} will write, as room allows. */
    private static boolean relay(Endpoint from, Endpoint to) {
        if (!from.hasInput()) {
            return false;
        }
        int room = to.outRoom();
        if (room == 0) {
            return false;
        }
        int n = Math.min(room, from.in.remaining());
        to.out.put(to.out.position(), from.in, from.in.position(), n);
        to.out.position(to.out.position() + n);
        from.in.position(from.in.position() + n);
        from.releaseInIfEmpty();
        return true;
    }

    private void responseEnded(String[] trailers) {
        if (responseChunkedOut) {
            HeadEncoder.lastChunk(trailers, loop.heads);
            stage(loop.heads);
        }
        responseComplete = true;
        responseHeaderDeadline.clear();
    }

    /** The server closed its side with no more bytes buffered. */
    private void upstreamEnded() {
        Event ev = up.parser.endOfInput();
        if (ev == Event.MESSAGE_END) {
            upstreamReusable = false;
            responseEnded(NO_TRAILERS);
            return;
        }
        if (ev == Event.NEED_MORE && !responseStarted && canRetry()) {
            LOG.debug("{}: backend {}: pooled connection {} was closed by the server; retrying on a fresh one",
                    this, backend.name(), up);
            retried = true;
            up.closeChannel();
            up = null;
            connectUpstream(true);
            return;
        }
        if (!responseStarted) {
            LOG.debug("{}: backend {}: {} closed before a complete response head", this, backend.name(), up);
            failExchange(502);
        } else {
            LOG.debug("{}: backend {}: {} closed mid-response; closing the client connection", this, backend.name(),
                    up);
            close();
        }
    }

    private boolean canRetry() {
        if (retried || !up.reused || responseBytesSeen || head().framing() != BodyFraming.NONE) {
            return false;
        }
        return switch (head().method()) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true; // idempotent (RFC 9110 §9.2.2)
            default -> false;
        };
    }

    private void upstreamMalformed(String reason) {
        LOG.debug("{}: backend {}: malformed response from {}: {}", this, backend.name(), up, reason);
        if (!responseStarted) {
            failExchange(502);
        } else {
            close();
        }
    }

    /** Ends the exchange with a proxy-made {@code status}, discarding the upstream connection. */
    private void failExchange(int st) {
        record(st);
        abandonUpstream();
        respondLocal(st, HttpStatus.reason(st), null);
    }

    private void respondLocal(int st, String body, String location) {
        responseHeaderDeadline.clear();
        status = st;
        localResponse = true;
        responseStarted = true;
        responseComplete = true;
        if (head() != null && head().framing() != BodyFraming.NONE && !requestComplete) {
            closeAfterResponse = true; // the body is not read; the connection cannot carry another request
        }
        stage(HeadEncoder.local(st, body, location, closeAfterResponse,
                head() == null || !head().method().equals("HEAD")));
    }

    private void record(int st) {
        if (recorded || backend == null) {
            return;
        }
        recorded = true;
        long now = System.nanoTime();
        long latency = now - request.exchangeStart;
        CircuitBreaker breaker = request.breaker;
        if (breaker != null && loop.index < breaker.metrics().stripes()) {
            // this loop's own stripe: no lock (a table compiled for fewer loops than run, in a test, records nothing)
            breaker.onOutcome(loop.index, st, latency, now);
        }
        if (upstream == null) {
            return;
        }
        try {
            backend.record(upstream, st, latency);
        } catch (Throwable t) {
            LOG.warn("{}: backend {}: recording an outcome failed", this, backend.name(), t);
        }
    }

    private void abandonUpstream() {
        if (up != null) {
            up.closeChannel();
            up = null;
        }
    }

    private boolean finishExchangeIfDone() {
        if (!responseComplete) {
            return false;
        }
        if (!requestComplete) {
            closeAfterResponse = true; // answered before the whole request was read
            upstreamReusable = false;
        }
        if (up != null) {
            UpstreamConnection c = up;
            up = null;
            c.parser.forgetHead();
            if (upstreamReusable && requestComplete && c.flushed() && !c.hasInput() && !c.inputClosed
                    && !c.outputBroken) {
                loop.upstreams.release(c);
            } else {
                c.closeChannel();
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} {} -> frontend {} backend {} server {}: {} in {} us", this, head().method(), request.path(),
                    request.frontend == null ? "-" : request.frontend.name(), backend == null ? "-" : backend.name(),
                    upstream == null || upstream.server() == null ? "-" : upstream.server().name(), status,
                    (System.nanoTime() - request.exchangeStart) / 1000);
        }
        endExchange();
        if (closeAfterResponse) {
            drain();
        } else {
            phase = Phase.HEAD;
            writeDeadline.clear();
            startTimer(Timer.IDLE, settings.idleTimeout().toNanos());
        }
        return true;
    }

    private void endExchange() {
        if (exchangeActive) {
            exchangeActive = false;
            loop.exchangeEnded();
        }
        if (request != null && request.permit != null) {
            request.limiter.release(request.permit);
            request.permit = null;
        }
        readDeadline.clear();
        responseHeaderDeadline.clear();
        if (parser != null) {
            parser.forgetHead(); // back to the loop's pool: an idle connection keeps no head storage
            if (parser.atMessageBoundary()) {
                parser.reset();
                loop.spareParsers.give(parser); // and no parser, until the next request's first byte
                parser = null;
            }
        }
        if (request != null) {
            request.clear();
            loop.spareRequests.give(request);
            request = null;
        }
        backend = null;
        upstream = null;
    }

    // ------------------------------------------------------------------------------------------------ closing

    private void drain() {
        phase = Phase.DRAIN;
        long write = settings.writeTimeout().toNanos();
        startTimer(Timer.DRAIN, write > 0 && write < DRAIN_NANOS ? write : DRAIN_NANOS);
    }

    private void startLinger() {
        if (inputClosed) {
            close();
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        phase = Phase.LINGER;
        if (in != null) {
            in.position(in.limit());
            releaseInIfEmpty();
        }
        startTimer(Timer.LINGER, LINGER_NANOS);
    }

    /** The client went away or failed mid-exchange: the server connection is not at a boundary, close both. */
    private void clientGone(String why) {
        if (exchangeActive && !recorded && upstream != null) {
            LOG.debug("{}: {} ({} {})", this, why, head().method(), request.path());
            record(499);
        }
        close();
    }

    /** Closes the connection and any upstream connection it holds. Idempotent. */
    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        abandonUpstream();
        endExchange();
        stopTimer();
        writeDeadline.clear();
        closeChannel();
        loop.clients.remove(this);
    }

    @Override
    void cancelDeadlines() {
        cancelDeadline();
        readDeadline.cancel();
        writeDeadline.cancel();
        responseHeaderDeadline.cancel();
    }

    boolean idle() {
        return phase == Phase.HEAD && atRequestBoundary() && !hasInput() && flushed();
    }

    // ------------------------------------------------------------------------------------------------ timers

    private void startTimer(Timer t, long nanos) {
        timer = t;
        setDeadline(System.nanoTime(), nanos);
    }

    private void stopTimer() {
        timer = Timer.NONE;
        clearDeadline();
    }

    @Override
    void expired() {
        Timer t = timer;
        timer = Timer.NONE;
        switch (t) {
            case IDLE -> {
                if (phase == Phase.HEAD) {
                    LOG.debug("{}: idle timeout", this);
                    close();
                }
            }
            case HEADER -> {
                if (phase == Phase.HEAD) {
                    LOG.debug("{}: request head not received within {}", this, settings.headerReadTimeout());
                    rejectHead(408);
                    process();
                }
            }
            case DRAIN -> {
                LOG.debug("{}: last response not written in time; closing", this);
                close();
            }
            case LINGER -> close();
            default -> {
            }
        }
    }

    private void readTimedOut() {
        if (phase == Phase.HEAD && !atRequestBoundary()) {
            LOG.debug("{}: request head not received within readTimeout {}", this, settings.readTimeout());
            rejectHead(408);
            process();
        } else if (phase == Phase.EXCHANGE && !requestComplete) {
            LOG.debug("{}: request not received within readTimeout {}", this, settings.readTimeout());
            record(408);
            abandonUpstream();
            if (!responseStarted) {
                closeAfterResponse = true;
                respondLocal(408, HttpStatus.reason(408), null);
                requestComplete = true; // what is left of it is never read
                process();
            } else {
                close();
            }
        }
    }

    private void writeTimedOut() {
        if (phase != Phase.EXCHANGE || responseComplete) {
            return;
        }
        LOG.debug("{}: response not written within writeTimeout {}", this, settings.writeTimeout());
        if (!responseStarted) {
            closeAfterResponse = true;
            failExchange(504);
            requestComplete = true;
            process();
        } else {
            close();
        }
    }

    /** {@code dialTimeout} passed while {@code c} was still connecting (called by {@code c}). */
    void dialTimedOut(UpstreamConnection c) {
        if (phase == Phase.EXCHANGE && up == c && !c.connected) {
            LOG.debug("{}: backend {}: connect to {} timed out after {}", this, backend.name(), up.address,
                    settings.dialTimeout());
            if (!retryElsewhere("connect timed out")) {
                failExchange(504);
            }
            process();
        }
    }

    private void responseHeaderTimedOut() {
        if (phase == Phase.EXCHANGE && up != null && !responseStarted) {
            LOG.debug("{}: backend {}: no response head from {} within {}", this, backend.name(), up,
                    settings.responseHeaderTimeout());
            failExchange(504);
            process();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** The address without zone; IPv6 in its compressed form ({@code ::1}). */
    static String formatAddress(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        String ip = peerAddress == null ? "" : formatAddress(peerAddress);
        return "conn#" + id + " " + (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + peerPort;
    }

    /** The request parser, lent by the loop for as long as a request is on its way. */
    private Http1Parser parser() {
        if (parser == null) {
            parser = loop.spareParsers.take();
        }
        return parser;
    }

    /** The request head of the exchange in flight, or null. */
    private HttpHead head() {
        return request == null ? null : request.head();
    }

    boolean holdsRequestState() {
        return parser != null || request != null;
    }

    /** No byte of a next request has been read (an idle connection holds no parser). */
    private boolean atRequestBoundary() {
        return parser == null || parser.atMessageBoundary();
    }

    /** The loop's client connections, as an intrusive list: adding, removing and walking need no extra objects. */
    static final class Registry {
        private ClientConnection first;
        private int size;

        void add(ClientConnection c) {
            c.nextClient = first;
            if (first != null) {
                first.previousClient = c;
            }
            first = c;
            size++;
        }

        void remove(ClientConnection c) {
            if (c.previousClient == null && first != c) {
                return; // not (or no longer) registered
            }
            if (c.previousClient != null) {
                c.previousClient.nextClient = c.nextClient;
            } else {
                first = c.nextClient;
            }
            if (c.nextClient != null) {
                c.nextClient.previousClient = c.previousClient;
            }
            c.previousClient = null;
            c.nextClient = null;
            size--;
        }

        int size() {
            return size;
        }

        /** A copy, safe to walk while connections close. */
        List<ClientConnection> snapshot() {
            List<ClientConnection> out = new java.util.ArrayList<>(size);
            for (ClientConnection c = first; c != null; c = c.nextClient) {
                out.add(c);
            }
            return out;
        }
    }
}
