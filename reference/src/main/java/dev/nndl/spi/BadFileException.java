package dev.nndl.spi;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file the suite reads (MNIST's idx files, images, checkpoints, benchmark results) that it cannot
 * use. The message is one line: the file, what is wrong with it, and what to do. Every reader of
 * outside files ends in this type, never in another exception, whatever bytes it is given.
 */
public class BadFileException extends IOException {

    private final transient Path file;

    public BadFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public BadFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be used. */
    public Path file() {
        return file;
    }
}
