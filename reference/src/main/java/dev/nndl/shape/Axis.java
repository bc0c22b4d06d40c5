package dev.nndl.shape;

/**
 * The names one spatial axis uses in error messages: the guide's letters (i, k, s, p, d, a) or a
 * shape record's fields (h, kh, sh, ph, dh, oph for rows; w, kw, sw, pw, dw, opw for columns).
 */
public record Axis(String i, String k, String s, String p, String d, String a) {

    /** The guide's own letters, for the plain {@link ConvArithmetic} API. */
    public static final Axis GUIDE = new Axis("i", "k", "s", "p", "d", "a");
    /** Rows of an NCHW shape record. */
    public static final Axis ROWS = new Axis("h", "kh", "sh", "ph", "dh", "oph");
    /** Columns of an NCHW shape record. */
    public static final Axis COLS = new Axis("w", "kw", "sw", "pw", "dw", "opw");
}
