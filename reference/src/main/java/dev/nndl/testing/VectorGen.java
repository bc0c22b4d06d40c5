package dev.nndl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/** See {@link Gen#vector}. Keeps the integer vector behind each case so that it can shrink it. */
final class VectorGen<T> implements Gen<T> {

    private static final int MAX_DRAWS = 10_000;

    private final Function<int[], T> build;
    private final Gen<Integer>[] components;
    private final java.util.Map<T, int[]> vectors = new java.util.IdentityHashMap<>();

    VectorGen(Function<int[], T> build, Gen<Integer>[] components) {
        this.build = build;
        this.components = components.clone();
    }

    @Override
    public T draw(Random random) {
        for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
            int[] v = new int[components.length];
            for (int i = 0; i < v.length; i++) v[i] = components[i].draw(random);
            Optional<T> built = tryBuild(v);
            if (built.isPresent()) return built.get();
        }
        throw new IllegalStateException("no valid case in " + MAX_DRAWS + " draws: the component ranges almost never make a valid case");
    }

    @Override
    public List<T> edges() {
        List<T> edges = new ArrayList<>();
        int[] base = new int[components.length];
        for (int i = 0; i < base.length; i++) base[i] = components[i].edges().getFirst();
        tryBuild(base).ifPresent(edges::add);
        for (int i = 0; i < components.length; i++) {
            for (int e : components[i].edges().subList(1, components[i].edges().size())) {
                int[] v = base.clone();
                v[i] = e;
                tryBuild(v).ifPresent(edges::add);
            }
        }
        return edges;
    }

    @Override
    public Stream<T> shrink(T failing) {
        int[] v = vectors.get(failing);
        if (v == null) return Stream.empty();
        List<T> candidates = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            final int index = i;
            components[i].shrink(v[i]).forEach(smaller -> {
                int[] w = v.clone();
                w[index] = smaller;
                tryBuild(w).ifPresent(candidates::add);
            });
        }
        return candidates.stream();
    }

    private Optional<T> tryBuild(int[] v) {
        try {
            T t = build.apply(v.clone());
            vectors.put(t, v.clone());
            return Optional.of(t);
        } catch (IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }
}
