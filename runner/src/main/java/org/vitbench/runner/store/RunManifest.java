package org.vitbench.runner.store;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.VitbenchException;

/**
 * What a report needs besides the records, kept beside them in {@code run.json}: the canonical
 * config and its hash, the seed, each metric's direction (so a report can be rendered without the
 * metric's plug-in), the pairs that were skipped and why, and the run's environment. The
 * canonical config is also written as {@code config.yaml}, which {@code --config} reads back.
 *
 * @param configHash hash of the canonical config
 * @param config the canonical config (YAML)
 * @param seed the run seed
 * @param directions direction per metric spec hash
 * @param skipped method x metric pairs that were not run, with the reason
 * @param environment versions, hardware, commit and times, in display order
 * @param families each method id's family (lower case, e.g. {@code perturbation}), so a report can
 *     group methods without the plug-ins; empty in manifests written before it was kept
 */
public record RunManifest(String configHash, String config, long seed, Map<String, Direction> directions,
        List<Skipped> skipped, Map<String, String> environment, Map<String, String> families) {

    public static final String FILE_NAME = "run.json";
    public static final String CONFIG_FILE = "config.yaml";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunManifest {
        directions = Map.copyOf(directions);
        skipped = List.copyOf(skipped);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        families = Collections.unmodifiableMap(new TreeMap<>(families));
    }

    /** A manifest that records no method families. */
    public RunManifest(String configHash, String config, long seed, Map<String, Direction> directions,
            List<Skipped> skipped, Map<String, String> environment) {
        this(configHash, config, seed, directions, skipped, environment, Map.of());
    }

    /** The current time in UTC, to the second (ISO 8601), as a manifest records start and finish. */
    public static String timestamp() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * A method x metric pair that was not run.
     *
     * @param method method label
     * @param metric metric id
     * @param reason why
     */
    public record Skipped(String method, String metric, String reason) {
    }

    public RunManifest withEnvironment(Map<String, String> newEnvironment) {
        return new RunManifest(configHash, config, seed, directions, skipped, newEnvironment, families);
    }

    /** Writes {@code run.json} and {@code config.yaml} into {@code dir}, each through a temporary file. */
    public void write(Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "vitbench-run");
        o.put("version", 1);
        o.put("configHash", configHash);
        o.put("config", config);
        o.put("seed", seed);
        ObjectNode d = o.putObject("directions");
        // spelt as in summary.json (lower-is-better); read() also accepts the older lower_is_better
        new TreeMap<>(directions).forEach((k, v) -> d.put(k, directionId(v)));
        ArrayNode s = o.putArray("skipped");
        for (Skipped k : skipped) {
            s.addObject().put("method", k.method()).put("metric", k.metric()).put("reason", k.reason());
        }
        ObjectNode env = o.putObject("environment");
        environment.forEach(env::put);
        if (!families.isEmpty()) {
            ObjectNode f = o.putObject("families");
            families.forEach(f::put);
        }
        try {
            String json = JSON.writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
                    .writeValueAsString(o) + "\n";
            replace(dir.resolve(FILE_NAME), json);
            replace(dir.resolve(CONFIG_FILE), "# vitbench run config " + configHash
                    + "; reproduce with: vitbench run --config " + CONFIG_FILE + "\n" + config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code run.json} from {@code dir}. */
    public static RunManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        JsonNode o;
        try {
            o = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("no run in " + dir.toAbsolutePath() + " (" + FILE_NAME
                    + " is missing); give the --out directory of a run");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, Direction> directions = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.get("directions").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                directions.put(e.getKey(), parseDirection(e.getValue().asText(), file + " directions." + e.getKey()));
            }
            List<Skipped> skipped = new ArrayList<>();
            for (JsonNode k : o.get("skipped")) {
                skipped.add(new Skipped(k.get("method").asText(), k.get("metric").asText(), k.get("reason").asText()));
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.get("environment").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                env.put(e.getKey(), e.getValue().asText());
            }
            Map<String, String> families = new LinkedHashMap<>();
            if (o.has("families")) {
                o.get("families").fields().forEachRemaining(e -> families.put(e.getKey(), e.getValue().asText()));
            }
            return new RunManifest(o.get("configHash").asText(), o.get("config").asText(), o.get("seed").asLong(),
                    directions, skipped, env, families);
        } catch (RuntimeException e) {
            throw new VitbenchException(file + " is not a valid run manifest (" + e + "); rerun the benchmark "
                    + "into a new --out directory", e);
        }
    }

    /** A direction as stored: {@code higher-is-better} or {@code lower-is-better}. */
    public static String directionId(Direction d) {
        return d.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The inverse of {@link #directionId}; also reads the older {@code lower_is_better}. */
    public static Direction parseDirection(String text, String where) {
        for (Direction d : Direction.values()) {
            if (directionId(d).equals(text.replace('_', '-'))) {
                return d;
            }
        }
        throw new ConfigurationException(where + ": unknown direction '" + text
                + "'; allowed: higher-is-better, lower-is-better");
    }

    private static void replace(Path target, String content) throws IOException {
        AtomicFiles.writeString(target, content);
    }
}
