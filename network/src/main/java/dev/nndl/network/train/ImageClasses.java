package dev.nndl.network.train;

import dev.nndl.network.Model;
import dev.nndl.spi.BadFileException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run on colour images keeps of its data so that its model can classify new pictures
 * later ({@code nndl predict}), beside its checkpoints: the class names in label order,
 * {@value #CLASSES} (UTF-8, one name a line), and the training set's mean image, which every
 * picture the network sees has subtracted, {@value #MEAN} (safetensors: one F32 tensor
 * {@code mean} of shape {@code [3, side, side]}, RGB planes of pixel values scaled to
 * {@code [0, 1]}, as {@link dev.nndl.network.data.Images#mean} computes it).
 *
 * @param names the classes in label order: the image folder's subfolders, sorted
 * @param mean  the training set's mean image, {@code 3 x side x side}
 * @param side  the side of the stored images (256 for AlexNet)
 */
public record ImageClasses(List<String> names, float[] mean, int side) {

    public static final String CLASSES = "classes.txt", MEAN = "mean.safetensors";

    /** Larger than any list of class names: ImageNet's thousand take 30 KB. */
    static final long MAX_CLASSES_BYTES = 1 << 20;

    public ImageClasses {
        names = List.copyOf(names);
        for (String name : names) {
            if (name.isEmpty() || name.contains("\n") || name.contains("\r")) {
                throw new IllegalArgumentException("class name '" + name.replace("\n", "\\n").replace("\r", "\\r")
                        + "' cannot be written one a line; rename its folder");
            }
        }
        if (mean.length != 3L * side * side) throw new IllegalArgumentException("a mean image of " + mean.length + " values for images of 3x" + side + "x" + side);
    }

    /** Writes {@value #CLASSES} and {@value #MEAN} into {@code dir}, each through a temporary file and an atomic rename. */
    public void write(Path dir) throws IOException {
        RunFiles.writeAtomically(dir.resolve(CLASSES), (String.join("\n", names) + "\n").getBytes(StandardCharsets.UTF_8));
        SafeTensors.write(dir.resolve(MEAN), List.of(tensor(side)), List.of(mean),
                Map.of("format", "pt", "description", "the training set's mean image: RGB planes of pixel / 255, subtracted from every image the network sees"));
    }

    private static SafeTensors.Tensor tensor(int side) {
        return new SafeTensors.Tensor("mean", List.of(3, side, side));
    }

    /**
     * The class names and mean image beside {@code checkpoint}, for its {@code model} of colour
     * images; a file missing, or not the model's (another number of classes, another image
     * size), ends in a one-line {@link BadFileException} saying which and what to do.
     */
    public static ImageClasses read(Path checkpoint, Model model) throws IOException {
        if (!(model.reads() instanceof Model.Input.Colour colour)) throw new IllegalArgumentException(model.id() + " does not read colour images");
        Path dir = checkpoint.toAbsolutePath().getParent(), classesFile = dir.resolve(CLASSES), meanFile = dir.resolve(MEAN);
        if (!Files.exists(classesFile)) {
            throw new BadFileException(checkpoint, "has no " + CLASSES + " beside it: the names of " + model.id() + "'s classes, one a line in label order, "
                    + "which nndl train writes into a run on colour images; write it (the training folder's subfolder names, sorted) or train again");
        }
        if (!Files.exists(meanFile)) {
            throw new BadFileException(checkpoint, "has no " + MEAN + " beside it: the mean image of " + model.id() + "'s training set, which nndl train "
                    + "writes into a run on colour images and every picture has subtracted; train again");
        }
        List<String> names = names(classesFile);
        long classes = model.architecture().output().size();
        if (names.size() != classes) {
            throw new BadFileException(classesFile, "names " + names.size() + " classes where " + model.id() + " has " + classes + "; it belongs to another run");
        }
        float[] mean = SafeTensors.read(meanFile, List.of(tensor(colour.side())), model.id()).parameters().getFirst();
        return new ImageClasses(names, mean, colour.side());
    }

    private static List<String> names(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new BadFileException(file, "is not a regular file; it should hold the class names, one a line");
        if (Files.size(file) > MAX_CLASSES_BYTES) {
            throw new BadFileException(file, "is " + Files.size(file) + " bytes, more than class names take (at most " + MAX_CLASSES_BYTES + "); it is not a list of them");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new BadFileException(file, "is not UTF-8 text; it should hold the class names, one a line");
        }
        List<String> names = text.lines().toList();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) throw new BadFileException(file, "has an empty line " + (i + 1) + "; it should hold the class names, one a line");
        }
        return names;
    }
}
