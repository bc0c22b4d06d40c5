package dev.nndl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A source of test cases for {@link Property}: draws a case from a seeded {@link Random}, lists
 * hand-picked edge cases to try before any random one, and proposes simpler variants of a
 * failing case so the report shows a small counterexample.
 */
public interface Gen<T> {

    /** A random case. */
    T draw(Random random);

    /** Cases tried first, in order: the edges a bug is likeliest to hide at. */
    default List<T> edges() {
        return List.of();
    }

    /** Simpler variants of {@code failing}, simplest first; {@link Property} keeps the first that still fails. */
    default Stream<T> shrink(T failing) {
        return Stream.empty();
    }

    /** Integers in {@code [min, max]}, with {@code min}, {@code max} and {@code extraEdges} tried first; shrinks toward {@code min}. */
    static Gen<Integer> between(int min, int max, int... extraEdges) {
        if (min > max) throw new IllegalArgumentException("min " + min + " > max " + max);
        List<Integer> edges = new ArrayList<>();
        edges.add(min);
        for (int e : extraEdges) if (e >= min && e <= max && !edges.contains(e)) edges.add(e);
        if (!edges.contains(max)) edges.add(max);
        return new Gen<>() {
            @Override public Integer draw(Random random) { return min + random.nextInt(max - min + 1); }
            @Override public List<Integer> edges() { return edges; }
            @Override public Stream<Integer> shrink(Integer v) {
                return Stream.of(min, min + (v - min) / 2, v - 1).filter(x -> x >= min && x < v).distinct();
            }
        };
    }

    /**
     * Integers drawn from {@code [min, max]}, with {@code edges} (which may lie outside that
     * range, such as a width of 207 when random draws stay small) tried first after {@code min};
     * shrinks toward {@code min}.
     */
    static Gen<Integer> sizes(int min, int max, int... edges) {
        Gen<Integer> range = between(min, max);
        List<Integer> all = new ArrayList<>();
        all.add(min);
        for (int e : edges) if (e >= min && !all.contains(e)) all.add(e);
        return new Gen<>() {
            @Override public Integer draw(Random random) { return range.draw(random); }
            @Override public List<Integer> edges() { return all; }
            @Override public Stream<Integer> shrink(Integer v) { return range.shrink(Math.min(v, max + 1)).filter(x -> x < v); }
        };
    }

    /**
     * Cases built from a vector of integers, component {@code i} drawn from {@code components[i]};
     * {@code build} may throw {@link IllegalArgumentException} for a combination that is not a
     * valid case, which is then drawn again (or skipped while shrinking). Edge vectors take every
     * component at its first edge, then vary one component at a time over its edges. Shrinking
     * simplifies one component at a time.
     */
    @SafeVarargs
    static <T> Gen<T> vector(Function<int[], T> build, Gen<Integer>... components) {
        return new VectorGen<>(build, components);
    }
}
