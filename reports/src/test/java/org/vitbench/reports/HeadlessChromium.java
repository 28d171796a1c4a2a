package org.vitbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol with the JDK's WebSocket client
 * (no WebDriver and no browser download): loads a page and reports its console errors, uncaught
 * exceptions, every network request it made, its visible text and a screenshot. Test
 * infrastructure; one page per instance; always {@link #close()} it.
 */
final class HeadlessChromium implements AutoCloseable {

    /** The browser binary: {@code $CHROMIUM} or Debian's {@code /usr/bin/chromium}. */
    static Path executable() {
        String env = System.getenv("CHROMIUM");
        return Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    }

    /**
     * What a page did while it loaded.
     *
     * @param errors console errors, uncaught exceptions and error log entries, as text
     * @param requests the URL of every request the page made, the page itself included
     * @param text the page's visible text ({@code document.body.innerText})
     * @param screenshot a PNG of the whole page
     */
    record PageLoad(List<String> errors, List<String> requests, String text, byte[] screenshot) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /**
     * Skips the calling test when Chromium is missing, or fails it under CI (the variable
     * {@code CI} set), where the browser tests must run.
     */
    static void assumeInstalled() {
        if (!Files.isExecutable(executable())) {
            String why = executable() + " is missing; install it with apt-get install chromium";
            if (System.getenv("CI") != null) {
                org.junit.jupiter.api.Assertions.fail(why + " (CI must run the browser test)");
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** Starts the browser with a fresh profile and connects to its blank page. */
    static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("vitbench-chromium");
        // the flags keep a headless root browser from sandboxing and from calling home, which this
        // machine's closed network refuses noisily
        Process process = new ProcessBuilder(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1280,1600", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium did not start: "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
            String page = null;
            for (JsonNode t : JSON.readTree(targets)) {
                if ("page".equals(t.get("type").asText())) {
                    page = t.get("webSocketDebuggerUrl").asText();
                }
            }
            if (page == null) {
                throw new IllegalStateException("chromium has no page target: " + targets);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(page), listener)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
            listener.owner = browser;
            return browser;
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Loads {@code uri} and waits for its load event, then a short quiet period for late events. */
    PageLoad load(URI uri) throws Exception {
        return load(uri, 0, true);
    }

    /**
     * As {@link #load(URI)} in a viewport {@code width} CSS pixels wide (0: the window's), with
     * scripts on or off.
     */
    PageLoad load(URI uri, int width, boolean scripts) throws Exception {
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            call(domain + ".enable", JSON.createObjectNode());
        }
        if (width > 0) {
            call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", 1000)
                    .put("deviceScaleFactor", 1).put("mobile", false));
        }
        call("Emulation.setScriptExecutionDisabled", JSON.createObjectNode().put("value", !scripts));
        call("Page.navigate", JSON.createObjectNode().put("url", uri.toString()));
        loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(300);
        JsonNode text = call("Runtime.evaluate", JSON.createObjectNode().put("expression", "document.body.innerText")
                .put("returnByValue", true));
        JsonNode metrics = call("Page.getLayoutMetrics", JSON.createObjectNode());
        JsonNode size = metrics.has("cssContentSize") ? metrics.get("cssContentSize") : metrics.get("contentSize");
        ObjectNode clip = JSON.createObjectNode().put("x", 0).put("y", 0).put("scale", 1)
                .put("width", size.get("width").asDouble()).put("height", Math.min(size.get("height").asDouble(), 12000));
        JsonNode shot = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true).set("clip", clip));
        List<String> errors = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        synchronized (events) {
            for (JsonNode e : events) {
                String method = e.get("method").asText();
                JsonNode p = e.get("params");
                switch (method) {
                    case "Runtime.consoleAPICalled" -> {
                        String type = p.get("type").asText();
                        if (type.equals("error") || type.equals("assert")) {
                            errors.add("console." + type + ": " + p.get("args"));
                        }
                    }
                    case "Runtime.exceptionThrown" -> errors.add("exception: " + p.get("exceptionDetails"));
                    case "Log.entryAdded" -> {
                        if ("error".equals(p.get("entry").get("level").asText())) {
                            errors.add("log: " + p.get("entry").get("text").asText() + " "
                                    + p.get("entry").path("url").asText());
                        }
                    }
                    case "Network.requestWillBeSent" -> requests.add(p.get("request").get("url").asText());
                    default -> {
                    }
                }
            }
        }
        return new PageLoad(errors, requests, text.path("result").path("value").asText(),
                Base64.getDecoder().decode(shot.get("data").asText()));
    }

    /** The value of a JavaScript expression in the loaded page (evaluated even with page scripts off). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + " failed: " + r.get("error"));
        }
        return r.get("result");
    }

    private void receive(String text) throws IOException {
        JsonNode message = JSON.readTree(text);
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
        } else if (message.has("method")) {
            events.add(message);
            if ("Page.loadEventFired".equals(message.get("method").asText())) {
                loaded.complete(null);
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            // the renderer and network-service children outlive a killed parent for a moment and keep
            // writing to the profile; stop them all before removing it
            List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
            family.add(process.toHandle());
            family.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : family) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            deleteProfile();
        }
    }

    /** Removes the profile; a file that vanished meanwhile (a browser temp file) is not an error. */
    private void deleteProfile() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                return;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Reassembles fragmented text frames into messages. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String message = buffer.toString();
                buffer.setLength(0);
                try {
                    while (owner == null) {
                        Thread.onSpinWait();
                    }
                    owner.receive(message);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
