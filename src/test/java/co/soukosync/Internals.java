package co.soukosync;

import java.util.regex.Pattern;

/**
 * What no answer of ours may show: a Java class name (qualified, or any kind of Exception),
 * Camel's exchange dump, a stack frame, an SQL statement or state. Answers speak of the service.
 */
public final class Internals {

    public static final Pattern NAMED = Pattern.compile(
            "[a-z]+\\.[a-z]+\\.[A-Z]\\w*|Exception|Exchange\\[|\\tat |Caused by|SQL ?[Ss]tate|SQL \\[");

    private Internals() {
    }
}
