package dev.nndl.spi;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.Objects;

/**
 * The ten families a backend implements, as {@link KernelSet#families()} hands them out. A backend
 * that starts from another one replaces families with the {@code with} methods:
 * {@code reference.families().with(myConvolution)}. A wrapper that watches or redirects every
 * call (a profiler, a simulated device) intercepts them all with {@link #intercepted}.
 */
public record Families(Convolution convolution, Pooling pooling, Dense dense, Activations activations, Costs costs,
                       Regularisation regularisation, Normalisation normalisation, Composition composition, Recurrent recurrent,
                       Update update) {

    public Families {
        Objects.requireNonNull(convolution, "convolution");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(dense, "dense");
        Objects.requireNonNull(activations, "activations");
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(regularisation, "regularisation");
        Objects.requireNonNull(normalisation, "normalisation");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(recurrent, "recurrent");
        Objects.requireNonNull(update, "update");
    }

    /** One call of a family's method, handed to an interceptor with the family it was meant for. */
    @FunctionalInterface
    public interface Interceptor {
        /** Handles {@code method(args)} on {@code family}; {@link #invoke} makes the call itself. */
        Object call(Object family, Method method, Object[] args);
    }

    /** These families as proxies that pass every call of a family's own methods to {@code interceptor}; {@code Object}'s methods go straight through. */
    public Families intercepted(Interceptor interceptor) {
        RecordComponent[] components = Families.class.getRecordComponents();
        Object[] proxies = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            Object family = invoke(components[i].getAccessor(), this, new Object[0]);
            proxies[i] = Proxy.newProxyInstance(Families.class.getClassLoader(), new Class<?>[] {types[i]},
                    (proxy, method, args) -> method.getDeclaringClass() == Object.class ? invoke(method, family, args) : interceptor.call(family, method, args));
        }
        try {
            return Families.class.getDeclaredConstructor(types).newInstance(proxies);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code method(args)} on {@code target}, rethrowing what the method threw as it was thrown. */
    public static Object invoke(Method method, Object target, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    public Families with(Convolution c) { return new Families(c, pooling, dense, activations, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Pooling p) { return new Families(convolution, p, dense, activations, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Dense d) { return new Families(convolution, pooling, d, activations, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Activations a) { return new Families(convolution, pooling, dense, a, costs, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Costs c) { return new Families(convolution, pooling, dense, activations, c, regularisation, normalisation, composition, recurrent, update); }
    public Families with(Regularisation r) { return new Families(convolution, pooling, dense, activations, costs, r, normalisation, composition, recurrent, update); }
    public Families with(Normalisation n) { return new Families(convolution, pooling, dense, activations, costs, regularisation, n, composition, recurrent, update); }
    public Families with(Composition c) { return new Families(convolution, pooling, dense, activations, costs, regularisation, normalisation, c, recurrent, update); }
    public Families with(Recurrent r) { return new Families(convolution, pooling, dense, activations, costs, regularisation, normalisation, composition, r, update); }
    public Families with(Update u) { return new Families(convolution, pooling, dense, activations, costs, regularisation, normalisation, composition, recurrent, u); }
}
