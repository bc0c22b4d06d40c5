package dev.nndl.conformance;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which operations a kernel set hands back to the reference. An operation is delegated when the
 * family that serves it is of the reference's own class (a backend started with
 * {@code ForwardingKernelSet} or {@code reference.families().with(...)} that has not replaced it
 * yet) and the kernel set does not override the operation's {@code KernelSet} method either (as
 * the mutants do). Comparing such an operation with the reference would prove nothing about the
 * backend, so the contract reports it as delegated instead of passed.
 */
final class Delegation {

    private static final Families REFERENCE = new ReferenceKernels().families();

    private Delegation() {}

    /** Whether {@code subject} serves {@code check}'s operation with the reference's own code. */
    static boolean toReference(OpCheck<?> check, KernelSet subject) {
        if (subject instanceof ReferenceKernels) return false;
        String method = method(check);
        RecordComponent family = family(method);
        if (accessor(family, subject.families()).getClass() != accessor(family, REFERENCE).getClass()) return false;
        return Arrays.stream(subject.getClass().getMethods())
                .noneMatch(m -> m.getName().equals(method) && m.getDeclaringClass() != KernelSet.class);
    }

    /** The {@code KernelSet} method of a check: {@code conv-transpose2d backward-input} is {@code convTranspose2dBackwardInput}. */
    static String method(OpCheck<?> check) {
        String[] words = (check.op() + "-" + check.direction()).split("-");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) b.append(words[i].substring(0, 1).toUpperCase(Locale.ROOT)).append(words[i].substring(1));
        return b.toString();
    }

    /** The family whose interface declares {@code method}. */
    static RecordComponent family(String method) {
        for (RecordComponent component : Families.class.getRecordComponents()) {
            if (Arrays.stream(component.getType().getMethods()).anyMatch(m -> m.getName().equals(method))) return component;
        }
        throw new IllegalStateException("no family declares " + method);
    }

    private static Object accessor(RecordComponent component, Families families) {
        try {
            Method accessor = component.getAccessor();
            return accessor.invoke(families);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
