package dev.nndl.cli;

import dev.nndl.network.Model;
import dev.nndl.network.recurrent.RecurrentModel;
import dev.nndl.shape.Architecture;
import dev.nndl.shape.RecurrentShape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nndl shapes}: a network's layer-by-layer shapes and parameter counts. */
@Command(name = "shapes", mixinStandardHelpOptions = true,
        description = {"Layer-by-layer shapes and parameter counts of a network.",
                "For each layer: its input and output shape, its parameters, and the relationship of "
                + "Dumoulin and Visin's guide that gives its output size.", ""},
        footer = {"", "Layer specs (with --input):",
                "  conv:FILTERS:K[:sS][:pP][:dD][:gG][:ACT]   convolution, e.g. conv:96:11:s4",
                "  pool:K[:sS][:pP]   avgpool:...   lppool:...  pooling (stride defaults to K)",
                "  fc:N[:ACT]   softmax:N   lrn[:SIZE]   dropout[:P]      ACT: relu, sigmoid, tanh",
                "  inception:1X1:3X3REDUCE:3X3:5X5REDUCE:5X5:POOLPROJ    GoogLeNet's module, e.g. inception:64:96:128:16:32:32",
                "  lstm:HIDDEN   rnn:HIDDEN   a recurrent layer over an input STEPSxFEATURES, its output the last step's state",
                "", "Examples:", "  nndl shapes lenet5", "  nndl shapes googlenet-10-w0.25-i96", "  nndl shapes lstm-h32-t50", "  nndl shapes --input 20x8 lstm:64 softmax:8", "  nndl shapes --input 3x32x32 conv:32:3:p1:relu pool:2 fc:10", "  nndl shapes --list", ""})
final class ShapesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NET|LAYER", arity = "0..*",
            description = "A built-in network (lenet5, alexnet, googlenet, v0 ... v6), a model as nndl train --model names it "
                    + "(alexnet-10, googlenet-10-w0.25-i96, lstm, rnn-h32-t50-s4), or with --input, layer specs.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input of the layers given as specs, e.g. 1x28x28.")
    String input;

    @Option(names = "--list", description = "List the built-in networks.")
    boolean list;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (String name : Architecture.builtInNames()) out.printf("%-9s %s%n", name, Architecture.builtIn(name).description());
            for (var cell : List.of(RecurrentShape.Cell.LSTM, RecurrentShape.Cell.RNN)) {
                Architecture recurrent = RecurrentModel.of(cell).architecture();
                out.printf("%-9s %s (%s-hHIDDEN-tSTEPS-sSYMBOLS for other sizes)%n", recurrent.name(), recurrent.description(), recurrent.name());
            }
            return 0;
        }
        Architecture net;
        if (input != null) {
            net = Architecture.parse(input, arguments);
        } else if (arguments.size() == 1) {
            net = named(arguments.getFirst());
        } else {
            throw new IllegalArgumentException(arguments.isEmpty()
                    ? "name a network (" + String.join(", ", Architecture.builtInNames()) + ") or give --input CxHxW and layer specs"
                    : "layer specs need --input CxHxW (e.g. --input 1x28x28)");
        }
        out.print(ShapeTable.render(net));
        out.flush();
        return 0;
    }

    /** A built-in network, or the table of a model {@code nndl train --model} names: alexnet-10, googlenet-10-w0.25-i96, rnn-h32-t50. */
    private static Architecture named(String name) {
        if (Architecture.builtInNames().contains(name.toLowerCase(Locale.ROOT))) return Architecture.builtIn(name);
        try {
            return Model.of(name).architecture();
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().startsWith("no model")) throw e;
            throw new IllegalArgumentException("no network '" + name + "'; known: " + String.join(", ", Architecture.builtInNames())
                    + ", and the models of nndl train --model, such as alexnet-10, googlenet-10-w0.25-i96 or lstm-h32-t50-s4", e);
        }
    }
}
