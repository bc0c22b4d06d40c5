package dev.nndl.network.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict JSON of a safetensors header (RFC 8259, nothing more): objects as insertion-ordered
 * maps (a key twice is an error), arrays as lists, strings, integers as {@link Long} (one beyond a
 * long is an error), other numbers as {@link Double}, {@code true}, {@code false} and
 * {@code null}. Nesting is limited to {@value #MAX_DEPTH} levels, so no input can overflow the
 * stack. {@link #quote} writes a string. ({@code nndl predict} writes its answers with it too.)
 */
public final class Json {

    static final int MAX_DEPTH = 64;

    /** Text that is not JSON, with what was expected and where. */
    public static final class SyntaxException extends Exception {
        SyntaxException(String problem, int at) {
            super(problem + " at character " + at);
        }
    }

    private final String text;
    private int at;

    private Json(String text) {
        this.text = text;
    }

    /** The one value {@code text} holds, with white space around it. */
    public static Object parse(String text) throws SyntaxException {
        Json json = new Json(text);
        Object value = json.value(0);
        json.space();
        if (json.at < text.length()) throw new SyntaxException("more after the value (" + json.near() + ")", json.at);
        return value;
    }

    private Object value(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) throw new SyntaxException("nested deeper than " + MAX_DEPTH + " levels", at);
        space();
        if (at >= text.length()) throw new SyntaxException("the text ends where a value belongs", at);
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') yield number();
                throw new SyntaxException("a value cannot start with " + near(), at);
            }
        };
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        Map<String, Object> members = new LinkedHashMap<>();
        at++;
        space();
        if (next('}')) return members;
        do {
            space();
            if (at >= text.length() || text.charAt(at) != '"') throw new SyntaxException("expected a key in double quotes, found " + near(), at);
            int keyAt = at;
            String key = string();
            space();
            if (!next(':')) throw new SyntaxException("expected ':' after key " + quote(key) + ", found " + near(), at);
            Object value = value(depth + 1);
            if (members.containsKey(key)) throw new SyntaxException("key " + quote(key) + " appears twice", keyAt);
            members.put(key, value);
            space();
        } while (next(','));
        if (!next('}')) throw new SyntaxException("expected ',' or '}' in an object, found " + near(), at);
        return members;
    }

    private List<Object> array(int depth) throws SyntaxException {
        List<Object> items = new ArrayList<>();
        at++;
        space();
        if (next(']')) return items;
        do {
            items.add(value(depth + 1));
            space();
        } while (next(','));
        if (!next(']')) throw new SyntaxException("expected ',' or ']' in an array, found " + near(), at);
        return items;
    }

    private String string() throws SyntaxException {
        int start = at++;
        StringBuilder s = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw new SyntaxException("a string that starts here never ends", start);
            char c = text.charAt(at++);
            if (c == '"') return s.toString();
            if (c < 0x20) throw new SyntaxException("a control character (" + (int) c + ") inside a string", at - 1);
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (at >= text.length()) throw new SyntaxException("a string that starts here never ends", start);
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (at + 4 > text.length()) throw new SyntaxException("\\u needs four hex digits", at - 2);
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(text.charAt(at++), 16);
                        if (digit < 0) throw new SyntaxException("\\u needs four hex digits", at - 1);
                        code = code * 16 + digit;
                    }
                    s.append((char) code);
                }
                default -> throw new SyntaxException("unknown escape \\" + printable(e), at - 2);
            }
        }
    }

    private Object number() throws SyntaxException {
        int start = at;
        next('-');
        if (next('0')) {
            // a leading zero stands alone
        } else if (!digits()) {
            throw new SyntaxException("a number needs digits", at);
        }
        boolean integer = true;
        if (next('.')) {
            integer = false;
            if (!digits()) throw new SyntaxException("a number needs digits after its '.'", at);
        }
        if (next('e') || next('E')) {
            integer = false;
            if (!next('+')) next('-');
            if (!digits()) throw new SyntaxException("a number needs digits in its exponent", at);
        }
        String number = text.substring(start, at);
        if (!integer) return Double.parseDouble(number);
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new SyntaxException("the integer " + (number.length() > 30 ? number.substring(0, 30) + "..." : number) + " is too large", start);
        }
    }

    private boolean digits() {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
        return at > start;
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!text.startsWith(word, at)) throw new SyntaxException("a value cannot start with " + near(), at);
        at += word.length();
        return value;
    }

    private void space() {
        while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) at++;
    }

    private boolean next(char c) {
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    /** What the text holds at the current place, for a message. */
    private String near() {
        if (at >= text.length()) return "the end";
        return "'" + printable(text.charAt(at)) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    /** {@code s} as a JSON string: quoted, with quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
