package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vitbench.api.Registry;

/**
 * Bad input a user can give, through the real command line and the real plug-ins: each is refused
 * with exit code 2 and one line that names the problem, without a stack trace, before anything
 * large is allocated or anything is written. The cases follow the reliability probe; those that
 * once crashed, hung or were silently accepted are marked in their names.
 */
class BadInputTest {

    @TempDir
    static Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMBEDDED = "/org/vitbench/models/embedded/vit-fashion-mnist/";

    /** A copy of the embedded checkpoint in {@code name}, its config changed by {@code edit}. */
    private static Path checkpoint(String name, Consumer<ObjectNode> edit) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        ObjectNode config = (ObjectNode) JSON.readTree(resource("config.json"));
        edit.accept(config);
        Files.write(dir.resolve("config.json"), JSON.writeValueAsBytes(config));
        Files.write(dir.resolve("model.safetensors"), resource("model.safetensors"));
        return dir;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BadInputTest.class.getResourceAsStream(EMBEDDED + name)) {
            return in.readAllBytes();
        }
    }

    /** A safetensors header of four 1 GiB tensors that are not part of the model, on a sparse file. */
    private static void sparseJunk(Path file) throws IOException {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < 4; i++) {
            header.append(i == 0 ? "" : ",").append("\"junk").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[1,268435456],")
                    .append("\"data_offsets\":[").append((long) i << 30).append(',').append((long) (i + 1) << 30)
                    .append("]}");
        }
        header.append('}');
        while ((header.length() % 8) != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            f.write(h);
            f.setLength(8 + h.length + (4L << 30));
        }
    }

    /** A grey PNG declaring {@code side x side} pixels of zeros: a few hundred KB that decode to gigabytes. */
    private static byte[] bombPng(int side) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(9))) {
            byte[] row = new byte[side + 1];
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(side).putInt(side).put((byte) 8).put((byte) 0).put((byte) 0)
                .put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", raw.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static Path folder(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static final List<Arguments> CASES = new ArrayList<>();

    private static void bad(String name, String message, String... args) {
        CASES.add(Arguments.of(name, message, args));
    }

    /** {@code run} of the random method with sparseness on 2 samples, plus {@code extra}. */
    private static String[] run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--method", "random", "--metric", "sparseness", "--limit", "2",
                "--out", tmp.resolve("out-" + CASES.size()).toString(), "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static String model(Path dir) {
        return "checkpoint:path=" + dir;
    }

    private static void cases() throws Exception {
        // model files
        bad("config depth 1e9 (crashed after 3.8 GB)", "depth must be 1 to 256",
                run("--model", model(checkpoint("c01", c -> ((ObjectNode) c.get("architecture")).put("depth",
                        1_000_000_000)))));
        bad("config image size 65536 (unclear)", "imageSize 65536 must be",
                run("--model", model(checkpoint("c05", c -> ((ObjectNode) c.get("architecture")).put("imageSize", 65536)
                        .put("patchSize", 1)))));
        bad("config std 0 (stack trace)", "std values must be positive",
                run("--model", model(checkpoint("c12", c -> c.putArray("std").add(0.0)))));
        bad("config mlpRatio 1e308 (unclear)", "mlpRatio",
                run("--model", model(checkpoint("c14", c -> ((ObjectNode) c.get("architecture")).put("mlpRatio", 1e308)))));
        bad("config without architecture (leaked NPE)", "has no 'architecture'",
                run("--model", model(checkpoint("c17", c -> c.remove("architecture")))));
        bad("config unknown interpolation (accepted)", "unknown interpolation 'nearest-zzz'",
                run("--model", model(checkpoint("c18", c -> c.put("interpolation", "nearest-zzz")))));
        Path notJson = checkpoint("c09", c -> { });
        Files.writeString(notJson.resolve("config.json"), "{ not json");
        bad("config not JSON", "invalid model config", run("--model", model(notJson)));
        Path noConfig = checkpoint("c19", c -> { });
        Files.delete(noConfig.resolve("config.json"));
        bad("config missing", "no model config at", run("--model", model(noConfig)));
        Path empty = checkpoint("m18", c -> { });
        Files.write(empty.resolve("model.safetensors"), new byte[0]);
        bad("weights 0 bytes", "0 bytes", run("--model", model(empty)));
        Path fifo = checkpoint("m25", c -> { });
        Files.delete(fifo.resolve("model.safetensors"));
        new ProcessBuilder("mkfifo", fifo.resolve("model.safetensors").toString()).start().waitFor();
        bad("weights a named pipe (hung)", "is not a regular file", run("--model", model(fifo)));
        Path dirWeights = checkpoint("m26", c -> { });
        Files.delete(dirWeights.resolve("model.safetensors"));
        Files.createDirectory(dirWeights.resolve("model.safetensors"));
        bad("weights a directory", "is a directory", run("--model", model(dirWeights)));
        Path junk = checkpoint("m30", c -> { });
        sparseJunk(junk.resolve("model.safetensors"));
        bad("weights declaring 4 GiB of foreign tensors (crashed after 3 GB)", "missing parameter 'cls_token'",
                run("--model", model(junk)));
        Path longHeader = checkpoint("m01", c -> { });
        Files.write(longHeader.resolve("model.safetensors"), ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(1_000_000).array());
        bad("weights header longer than the file", "larger than the file", run("--model", model(longHeader)));
        Path nan = checkpoint("m21", c -> { });
        java.util.Map<String, org.vitbench.models.checkpoint.Tensor> tensors = org.vitbench.models.checkpoint.Safetensors
                .read(nan.resolve("model.safetensors"));
        org.vitbench.models.checkpoint.Tensor bias = tensors.get("head.bias");
        float[] values = bias.values().clone();
        values[3] = Float.NaN;
        tensors.put("head.bias", new org.vitbench.models.checkpoint.Tensor(bias.dtype(), bias.shape(), values));
        org.vitbench.models.checkpoint.Safetensors.write(nan.resolve("model.safetensors"), tensors, null);
        bad("weights with a NaN (every cell failed, cause unnamed)", "'head.bias' of model vit-fashion-mnist holds NaN "
                + "at index 3", run("--model", model(nan)));
        bad("checkpoint path missing", "does not exist", run("--model", model(tmp.resolve("nowhere"))));

        // image folders (for the embedded 28 px grey model)
        Path bomb = folder("d03/a");
        Files.write(bomb.resolve("bomb.png"), bombPng(20_000));
        bad("PNG declaring 20000 x 20000 pixels (2.6 GB, or out of memory)", "declares 20000 x 20000 pixels",
                run("--dataset", "image-folder:dir=" + bomb.getParent() + ",size=28,channels=1"));
        Path zero = folder("d02/a");
        Files.write(zero.resolve("empty.png"), new byte[0]);
        bad("PNG of 0 bytes", "no PNG or JPEG reader", run("--dataset", "image-folder:dir=" + zero.getParent()
                + ",size=28,channels=1"));
        bad("image folder without class folders", "has no class sub-folders",
                run("--dataset", "image-folder:dir=" + folder("d06") + ",size=28,channels=1"));
        bad("image folder is a file", "is not a directory",
                run("--dataset", "image-folder:dir=" + write("d17", "x") + ",size=28,channels=1"));
        bad("image folder missing", "does not exist",
                run("--dataset", "image-folder:dir=" + tmp.resolve("d22") + ",size=28,channels=1"));
        bad("image folder unknown parameter", "unknown parameter 'colour'",
                run("--dataset", "image-folder:dir=" + folder("d23") + ",colour=red"));
        Path many = folder("d16");
        for (int c = 0; c < 11; c++) {
            Files.write(folder("d16/c" + (c < 10 ? "0" : "") + c).resolve("x.png"), bombPng(28));
        }
        bad("image folder of 11 classes for a 10-class model (mislabelled)", "has 11 class folders but model",
                run("--dataset", "image-folder:dir=" + many));
        bad("image folder size 0", "allowed", run("--dataset", "image-folder:dir=" + folder("d18") + ",size=0"));

        // config files
        bad("config unknown key", "unknown key 'colour'", run("--config", write("y01.yaml", "colour: red\n").toString()));
        bad("config limit not a number", "invalid value", run("--config", write("y02.yaml", "limit: ten\n").toString()));
        bad("config key given twice (accepted, last won)", "the key 'limit' is given twice",
                run("--config", write("y08.yaml", "limit: 4\nlimit: 8\n").toString()));
        bad("config a list", "must be a map of keys", run("--config", write("y10.yaml", "- a\n- b\n").toString()));
        bad("config of two documents (second ignored)", "more than one YAML document",
                run("--config", write("y11.yaml", "limit: 4\n---\nlimit: 8\n").toString()));
        Path binary = tmp.resolve("y13.yaml");
        byte[] noise = new byte[4096];
        new java.util.Random(13).nextBytes(noise);
        Files.write(binary, noise);
        bad("config of random bytes (unclear)", "is not UTF-8 text", run("--config", binary.toString()));
        bad("config alias (read as the anchor's name)", "YAML alias '*m'",
                run("--config", write("y16.yaml", "methods: [&m random, *m]\n").toString()));
        bad("config of 2 MB (30 MB hung)", "more than the limit of 1048576",
                run("--config", write("y22.yaml", "#" + "x".repeat(2_000_000) + "\nlimit: 2\n").toString()));
        bad("config 2000 levels deep", "nesting depth",
                run("--config", write("y18.yaml", "limit: " + "[".repeat(2000) + "]".repeat(2000) + "\n").toString()));
        bad("config a directory", "is not a regular file", run("--config", folder("y35").toString()));
        bad("config missing", "does not exist", run("--config", tmp.resolve("none.yaml").toString()));

        // options
        bad("negative limit", "invalid limit", "run", "--limit", "-1", "--out", tmp.resolve("l01").toString());
        bad("shard 0/3", "invalid shard", run("--shard", "0/3"));
        bad("shard a/b", "--shard", run("--shard", "a/b"));
        bad("batch size 0", "invalid batch size", run("--batch-size", "0"));
        bad("unknown method", "unknown method 'nope'", "run", "--method", "nope", "--out", tmp.resolve("l16").toString());
        bad("unknown metric", "unknown metric 'nope'", "run", "--metric", "nope", "--out", tmp.resolve("l17").toString());
        bad("unknown model", "unknown model 'nope'", run("--model", "nope"));
        bad("unknown dataset", "unknown dataset 'nope'", run("--dataset", "nope"));
        bad("negative budget", "invalid value '-5'", "run", "--method", "kernel-shap:budget=-5", "--out",
                tmp.resolve("l21").toString());
        bad("parameter without value", "is not key=value", "run", "--method", "random:abc", "--out",
                tmp.resolve("l23").toString());
        bad("method given twice", "given twice", "run", "--method", "random", "--method", "random", "--metric",
                "sparseness", "--limit", "1", "--out", tmp.resolve("l27").toString());
        bad("parameter given twice (accepted, last won)", "parameter 'samples' is given twice", "run", "--method",
                "smoothgrad:samples=5,samples=7", "--out", tmp.resolve("l28").toString());
        bad("unknown device", "invalid device 'tpu'", run("--device", "tpu"));
        bad("time limit 0", "invalid time limit '0s'", run("--timeout", "0s"));
        bad("time limit without unit", "invalid time limit '30'", run("--timeout", "30"));
        bad("memory not a size", "is not a memory size", run("--memory", "lots"));
        bad("JMH file missing", "does not exist", run("--jmh", tmp.resolve("none.json").toString()));

        // training
        String data = "fashion-mnist-embedded:limit=20";
        bad("train with warm-up as long as training (fields shown as 0)", "warm-up of 1.0 epochs", "train", "classifier",
                "--dataset", data, "--epochs", "1", "--out", tmp.resolve("x07").toString());
        bad("train with learning rate NaN", "learning rate must be a positive number", "train", "classifier",
                "--dataset", data, "--lr", "NaN", "--out", tmp.resolve("x08").toString());
        bad("train with a patch that does not tile the image (stack trace)", "patchSize 5", "train", "classifier",
                "--dataset", data, "--patch", "5", "--out", tmp.resolve("x09").toString());

        // outputs
        bad("--out a regular file (reason missing)", "is a file, not a directory", "run", "--method", "random",
                "--metric", "sparseness", "--limit", "1", "--out", write("o01", "x").toString());
        bad("report of a directory without a run", "no run in", "report", folder("empty-run").toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithOneLineAndExitCode2(String name, String message, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.execute(Registry::load, args, new PrintWriter(out, true), new PrintWriter(err, true));

        String text = err.toString();
        assertEquals(ExitCode.USAGE.code(), code, name + ": " + text);
        assertTrue(text.contains(message), name + ": " + text);
        assertFalse(text.contains("\tat ") || text.contains("Exception in thread"), name + ": a stack trace: " + text);
        long errorLines = text.lines().filter(l -> l.startsWith("vitbench: error:")
                || l.startsWith("vitbench: failed:") || l.startsWith("vitbench: unexpected")).count();
        assertTrue(errorLines == 1 || text.contains("Usage:"), name + ": one error line: " + text);
    }

    static Stream<Arguments> badInputs() throws Exception {
        if (CASES.isEmpty()) {
            cases();
        }
        assertTrue(CASES.size() >= 40, "at least 40 bad inputs, got " + CASES.size());
        return CASES.stream();
    }
}
