package dev.nndl.conformance;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A case's shape as {@code nndl conform --case} takes it: every component of the shape record as
 * {@code name=value}, comma-separated, e.g.
 * {@code n=1,c=3,h=5,w=5,oc=2,kh=7,kw=7,sh=1,sw=1,ph=1,pw=1,dh=1,dw=1,groups=1}. Lists are joined
 * with {@code +} ({@code channels=3+5}). Written from the record and read back through its
 * canonical constructor, so it names exactly the case that failed and is checked as any shape is.
 */
public final class CaseName {

    private CaseName() {}

    public static String format(Record shape) {
        return Arrays.stream(shape.getClass().getRecordComponents())
                .map(c -> c.getName() + "=" + value(read(c, shape)))
                .collect(Collectors.joining(","));
    }

    /** Reads a case of shape type {@code type}; an {@link IllegalArgumentException} says what is wrong with it. */
    public static <S> S parse(Class<S> type, String text) {
        RecordComponent[] components = type.getRecordComponents();
        String wanted = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(","));
        Map<String, String> given = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("'" + pair.strip() + "' is not name=value; a " + type.getSimpleName() + " case names " + wanted);
            given.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            String value = given.remove(components[i].getName());
            if (value == null) throw new IllegalArgumentException("no " + components[i].getName() + "=; a " + type.getSimpleName() + " case names " + wanted);
            values[i] = parse(components[i], value);
            types[i] = components[i].getType();
        }
        if (!given.isEmpty()) throw new IllegalArgumentException("a " + type.getSimpleName() + " has no " + String.join(", ", given.keySet()) + "; it names " + wanted);
        try {
            return type.getDeclaredConstructor(types).newInstance(values);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " " + text + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(RecordComponent component, String value) {
        Class<?> type = component.getType();
        try {
            if (type == int.class) return Integer.parseInt(value);
            if (type == long.class) return Long.parseLong(value);
            if (type == float.class) return Float.parseFloat(value);
            if (type == double.class) return Double.parseDouble(value);
            if (type == boolean.class) {
                if (!value.equals("true") && !value.equals("false")) throw new NumberFormatException();
                return Boolean.parseBoolean(value);
            }
            if (type.isEnum()) return Enum.valueOf(type.asSubclass(Enum.class), value.toUpperCase(Locale.ROOT));
            if (type == List.class && component.getGenericType() instanceof ParameterizedType p && p.getActualTypeArguments()[0] == Integer.class) {
                List<Integer> list = new ArrayList<>();
                for (String item : value.split("\\+")) list.add(Integer.parseInt(item.strip()));
                return List.copyOf(list);
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException(component.getName() + "=" + value + ": not " + kind(type));
        }
        throw new IllegalStateException("a shape component of type " + component.getGenericType() + " cannot be read");
    }

    private static String kind(Class<?> type) {
        if (type == int.class || type == long.class) return "an integer";
        if (type == float.class || type == double.class) return "a number";
        if (type == boolean.class) return "true or false";
        if (type.isEnum()) return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> value(e)).toList());
        return "a list of integers joined by +";
    }

    private static String value(Object value) {
        if (value instanceof List<?> list) return list.stream().map(String::valueOf).collect(Collectors.joining("+"));
        if (value instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT);
        return String.valueOf(value);
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
