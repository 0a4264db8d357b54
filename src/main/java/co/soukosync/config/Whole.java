package co.soukosync.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A setting that takes a whole number within bounds, checked when the configuration is bound. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Whole {

    long min() default Long.MIN_VALUE;

    long max() default Long.MAX_VALUE;

    /** What the number counts: "seconds", "milliseconds", "links"; empty for a plain number. */
    String unit() default "";
}
