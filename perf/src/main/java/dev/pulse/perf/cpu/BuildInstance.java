package dev.pulse.perf.cpu;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * One build's instance of a timing class, for comparing builds in one JVM: the class is loaded from the build's jar
 * in a class loader of its own (then from the jar of the class path, for a timing class an older build lacks), so
 * every build runs its own server classes, and it is made with the constructor that takes {@code args}.
 */
public final class BuildInstance {
    private final Object instance;

    private BuildInstance(Object instance) {
        this.instance = instance;
    }

    /** An instance of {@code timing}'s class as build {@code jar} has it, made from {@code args} (Strings, or none). */
    public static BuildInstance of(String jar, Class<?> timing, Object... args)
            throws ReflectiveOperationException, MalformedURLException {
        URL own = timing.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL(), own},
                ClassLoader.getPlatformClassLoader());
        Class<?>[] types = new Class<?>[args.length];
        for (int k = 0; k < args.length; k++) {
            types[k] = args[k].getClass();
        }
        Constructor<?> make = loader.loadClass(timing.getName()).getDeclaredConstructor(types);
        make.setAccessible(true);
        return new BuildInstance(make.newInstance(args));
    }

    /** The jar of the class path, which holds {@code timing}: the one build compared when no jar is given. */
    public static String ownJar(Class<?> timing) {
        return timing.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    /** Its method {@code name} taking {@code params}, callable from here. */
    public Method method(String name, Class<?>... params) throws NoSuchMethodException {
        Method m = instance.getClass().getDeclaredMethod(name, params);
        m.setAccessible(true);
        return m;
    }

    /** Calls {@code m}, one of {@link #method}'s, with {@code args}; returns what it returns as a double. */
    public double call(Method m, Object... args) throws ReflectiveOperationException {
        return ((Number) m.invoke(instance, args)).doubleValue();
    }
}
