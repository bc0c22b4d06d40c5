package dev.nndl.cli;

import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.SafeTensors;
import dev.nndl.network.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nndl export}: a run's best weights, or a checkpoint's, as a file other tools read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a trained model's weights in a format other tools read: safetensors, which PyTorch loads with "
                + "safetensors.torch.load_file.",
                "RUN_OR_FILE is a run directory (its best.nndl: the weights of its best validation epoch) or a checkpoint file. "
                + "The tensors are named after the model's layers (conv1.weight, conv1.bias, fc1.weight, ...; nndl shapes MODEL lists "
                + "them) and laid out as PyTorch's Conv2d and Linear lay out theirs; the metadata holds the model, its layers, the plan "
                + "it was trained with and this nndl's version. nndl train --init FILE starts a run from such a file.", ""},
        footer = {"", "Examples:", "  nndl export runs/v3 v3.safetensors", "  nndl export runs/ladder/v6/best.nndl --format safetensors v6.safetensors",
                "  nndl train --model v4 --init v3.safetensors", "",
                "Exit code: 0 when the file is written, 2 when RUN_OR_FILE cannot be read or OUT exists (without --force); "
                + "the message says which, in one line.", ""})
final class ExportCommand implements Callable<Integer> {

    /** The formats export writes. */
    enum Format { safetensors }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_OR_FILE", description = "A run directory (its best.nndl is exported) or a checkpoint file (.nndl).")
    Path source;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write, e.g. v3.safetensors.")
    Path target;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "safetensors", description = "The format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--force", description = "Overwrite OUT if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.isDirectory(target)) throw new IllegalArgumentException("OUT " + target + " is a directory; name the file to write, e.g. " + target.resolve("model.safetensors"));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new IllegalStateException(target + " already exists; pass --force to overwrite it, or choose another OUT");
        }
        Path file = checkpoint(source);
        Checkpoint checkpoint = Checkpoint.read(file);
        Map<String, String> metadata = SafeTensors.metadata(checkpoint);
        metadata.put("nndl_version", Nndl.version());
        metadata.put("nndl_commit", dev.nndl.bench.GitCommit.current());
        SafeTensors.write(target, checkpoint, file, metadata);
        long values = checkpoint.parameters().stream().mapToLong(a -> a.length).sum();
        String epoch = checkpoint.history().isEmpty() ? "before its first epoch"
                : String.format(Locale.ROOT, "epoch %d of %d: validation %.2f %%, test %.2f %%", checkpoint.epochs(), checkpoint.plan().epochs(),
                        checkpoint.history().getLast().validationAccuracy(), checkpoint.history().getLast().testAccuracy());
        out.printf(Locale.ROOT, "%s: %s, %d tensors, %,d parameters (%s), from %s%n", target, checkpoint.plan().model().id(),
                SafeTensors.layout(checkpoint.plan().model()).size(), values, epoch, file);
        out.flush();
        return 0;
    }

    /** The checkpoint {@code source} names: itself, or a run directory's best weights. */
    static Path checkpoint(Path source) throws java.io.IOException {
        if (!Files.isDirectory(source)) {
            if (!Files.exists(source)) throw new java.nio.file.NoSuchFileException(source.toString());
            return source;
        }
        Path best = source.resolve(Trainer.BEST);
        if (Files.exists(best)) return best;
        List<String> runs;
        try (Stream<Path> entries = Files.list(source)) {
            runs = entries.filter(p -> Files.exists(p.resolve(Trainer.BEST))).map(Path::toString).sorted().limit(7).toList();
        }
        throw new IllegalArgumentException(source + " holds no " + Trainer.BEST + " (a run writes it after its first epoch)"
                + (runs.isEmpty() ? "; give a run directory or a checkpoint file" : "; its runs: " + String.join(", ", runs)));
    }
}
