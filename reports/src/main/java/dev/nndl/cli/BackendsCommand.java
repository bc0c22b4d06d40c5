package dev.nndl.cli;

import dev.nndl.spi.Availability;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nndl backends}: every backend on the class path, whether it can start here, and on what. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"Which backends can start here, on what device, and why not.", ""})
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, KernelSetProvider> providers = Backends.providers();
        for (String name : Backends.AUTO_ORDER) {
            if (!providers.containsKey(name)) out.printf("%-10s unavailable: %s%n", name, Backends.availability(name).reason());
        }
        for (KernelSetProvider provider : providers.values()) {
            Availability a = provider.availability();
            if (a.available()) {
                try (KernelSet kernels = provider.create()) {
                    out.printf("%-10s available: %s%n", provider.name(), kernels.device());
                }
            } else {
                out.printf("%-10s unavailable: %s%n", provider.name(), a.reason());
            }
        }
        out.printf("%nrequested: %s (from -D%s, %s, or the default auto)%n", Backends.requested(), Backends.PROPERTY, Backends.ENVIRONMENT);
        out.flush();
        return 0;
    }
}
