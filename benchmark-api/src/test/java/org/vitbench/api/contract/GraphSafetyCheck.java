package org.vitbench.api.contract;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.vitbench.api.GraphConstants;

/**
 * A build-time check that compiled code does no raw arithmetic with Java numbers on DJL arrays of
 * the kind whose backward pass reads the number ({@code x.mul(0.5)}, {@code div}, {@code pow},
 * {@code maximum}, {@code minimum}, {@code clip}, {@code scaleGradient}, their in-place and
 * {@code NDArrays} forms, {@code Activation.relu6}): such a number lives in a JVM buffer that a
 * garbage collection frees while the graph still needs it. {@link GraphConstants} is the safe way.
 *
 * <p>It reads the constant pools of the class files (javac records a method reference there only
 * when the code calls it, with the overload it resolved), so it sees through variables and
 * expressions that a source scan would miss. The rule holds for whole modules, forward-only code
 * included, so that code can move into a differentiated path without a second look. A plug-in runs
 * it on its own classes: {@code GraphSafetyCheck.assertClean(MyMethod.class)}.
 */
public final class GraphSafetyCheck {

    /** Method names that are banned with a {@code java.lang.Number} (or double) operand. */
    private static final Set<String> NUMBER_OPS = Set.of("mul", "div", "pow", "maximum", "minimum", "clip", "rdiv",
            "rpow", "muli", "divi", "powi", "rdivi", "rpowi", "maximumi", "minimumi");

    private GraphSafetyCheck() {
    }

    /**
     * Fails with every offending class and call when the classes of {@code anchor}'s code source
     * (its {@code target/classes} folder or its jar) contain a banned call.
     */
    public static void assertClean(Class<?> anchor) {
        List<String> found = violations(root(anchor));
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " raw scalar arithmetic call(s) on DJL arrays; a garbage collection "
                    + "between forward and backward corrupts their gradients. Use org.vitbench.api.GraphConstants "
                    + "(mul, div, pow, maximum, minimum, clip, scaleGradient, scalar) instead:\n  "
                    + String.join("\n  ", found));
        }
    }

    /** The banned calls in the class files under {@code root} (a folder or a jar), as "class: owner.name(descriptor)". */
    public static List<String> violations(Path root) {
        List<String> out = new ArrayList<>();
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                        try (InputStream in = Files.newInputStream(f)) {
                            scan(root.relativize(f).toString(), in, out);
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (JarEntry e : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                        try (InputStream in = jar.getInputStream(e)) {
                            scan(e.getName(), in, out);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classes in " + root, e);
        }
        return out;
    }

    /** Whether a call of {@code owner.name} with {@code descriptor} is banned. */
    static boolean banned(String owner, String name, String descriptor) {
        boolean number = descriptor.contains("Ljava/lang/Number;");
        if (owner.startsWith("ai/djl/") && owner.endsWith("NDArray")) {
            return (NUMBER_OPS.contains(name) && number) || (name.equals("scaleGradient") && descriptor.startsWith("(D)"));
        }
        if (owner.equals("ai/djl/ndarray/NDArrays")) {
            return NUMBER_OPS.contains(name) && number;
        }
        return owner.equals("ai/djl/nn/Activation") && name.equals("relu6");
    }

    private static Path root(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("cannot locate the class files of " + anchor.getName(), e);
        }
    }

    /** Reads one class file's constant pool and adds its banned method references to {@code out}. */
    private static void scan(String file, InputStream stream, List<String> out) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException(file + " is not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        int[][] refs = new int[count][]; // Methodref / InterfaceMethodref: {class, nameAndType}
        int[][] nameAndTypes = new int[count][];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // eight-byte constants take two slots
                }
                case 9, 17, 18 -> in.readInt();
                case 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndTypes[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException(file + ": unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> found = new TreeSet<>();
        for (int[] ref : refs) {
            if (ref == null) {
                continue;
            }
            String owner = utf8[classNames[ref[0]]];
            int[] nat = nameAndTypes[ref[1]];
            String name = utf8[nat[0]];
            String descriptor = utf8[nat[1]];
            if (banned(owner, name, descriptor)) {
                found.add(owner.substring(owner.lastIndexOf('/') + 1) + "." + name + descriptor);
            }
        }
        String className = file.replace('\\', '/').replaceAll("\\.class$", "").replace('/', '.');
        for (String call : found) {
            out.add(className + " calls " + call);
        }
    }
}
