package dev.nndl.cli;

import dev.nndl.spi.Availability;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code nndl backends}: every backend on the class path, where it was loaded from, whether it can
 * start here, and on what.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Which backends can start here, on what device, and why not; where each was loaded from "
                + "(built in, or a plugin's jar: see ./nndl --help on plugins).", ""})
final class BackendsCommand implements Callable<Integer> {

    /** The origin of a backend of nndl's own modules. */
    static final String BUILT_IN = "built in";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, KernelSetProvider> providers = Backends.providers();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("backend", "loaded from", "status"));
        for (String name : Backends.AUTO_ORDER) {
            if (!providers.containsKey(name)) rows.add(List.of(name, "-", "unavailable: " + Backends.availability(name).reason()));
        }
        for (KernelSetProvider provider : providers.values()) {
            rows.add(List.of(provider.name(), origin(provider.getClass()), status(provider)));
        }
        int nameWidth = rows.stream().mapToInt(r -> r.get(0).length()).max().orElseThrow();
        int originWidth = rows.stream().mapToInt(r -> r.get(1).length()).max().orElseThrow();
        for (List<String> row : rows) {
            out.printf("%-" + nameWidth + "s  %-" + originWidth + "s  %s%n", row.get(0), row.get(1), row.get(2));
        }
        for (KernelSetProvider provider : providers.values()) {
            List<String> devices = provider.devices();
            if (devices.isEmpty()) continue;
            out.printf("%n%s can run on:%n", provider.name());
            for (String device : devices) out.printf("  %s%n", device);
        }
        out.printf("%nrequested: %s (from -D%s, %s, or the default auto)%n", Backends.requested(), Backends.PROPERTY, Backends.ENVIRONMENT);
        out.flush();
        return 0;
    }

    private static String status(KernelSetProvider provider) {
        Availability a = provider.availability();
        if (!a.available()) return "unavailable: " + a.reason();
        try (KernelSet kernels = provider.create()) {
            return "available: " + kernels.device();
        }
    }

    /**
     * Where {@code type} was loaded from: {@value #BUILT_IN} for nndl's own modules, else its jar
     * or directory. A class is nndl's own when it lies beside the SPI's module, nndl-reference, in
     * the same layout: {@code ROOT/MODULE/target/classes} (or {@code target/NAME.jar}) in a build
     * of this repository, {@code .../dev/nndl/ARTIFACT/VERSION/NAME.jar} in a Maven repository. A
     * plugin built elsewhere, an example in {@code examples/} included, is not.
     */
    static String origin(Class<?> type) {
        Path where = location(type), spi = location(KernelSet.class);
        if (where == null) return "unknown";
        return spi != null && up(where, 3) != null && Objects.equals(up(where, 3), up(spi, 3))
                && Objects.equals(up(where, 1).getFileName(), up(spi, 1).getFileName()) ? BUILT_IN : where.toString();
    }

    private static Path location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return null;
        try {
            return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            return null;
        }
    }

    private static Path up(Path path, int levels) {
        for (int i = 0; i < levels && path != null; i++) path = path.getParent();
        return path;
    }
}
