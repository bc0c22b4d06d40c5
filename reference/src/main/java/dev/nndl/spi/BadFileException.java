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
        super(oneLine(file + ": " + problem));
        this.file = file;
    }

    public BadFileException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
    }

    /** The message with control characters (a damaged file's text may hold a newline) escaped as backslash, u and four hex digits. */
    static String oneLine(String message) {
        StringBuilder s = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) s.append(String.format("\\u%04x", c));
            else s.appendCodePoint(c);
        });
        return s.toString();
    }

    /** The file that could not be used. */
    public Path file() {
        return file;
    }
}
