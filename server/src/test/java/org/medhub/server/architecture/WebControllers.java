package org.medhub.server.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/** Spring MVC controllers as ArchUnit sees them, for "controllers do not call controllers". */
final class WebControllers {

    /**
     * A class annotated {@code @Controller} or {@code @RestController}; not the annotation types
     * themselves ({@code @RestController} is meta-annotated {@code @Controller}).
     */
    static final DescribedPredicate<JavaClass> CONTROLLER = DescribedPredicate.describe("are web controllers",
            c -> !c.isAnnotation() && (c.isAnnotatedWith(Controller.class) || c.isAnnotatedWith(RestController.class)));

    private WebControllers() {}

    /** Any dependency (field, constructor parameter, call) on a controller other than the class itself or its nested types. */
    static ArchCondition<JavaClass> dependOnAnotherController() {
        return new ArchCondition<>("depend on another controller") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass();
                    if (CONTROLLER.test(target) && !outermost(target).equals(outermost(origin))) {
                        events.add(SimpleConditionEvent.satisfied(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    private static JavaClass outermost(JavaClass type) {
        JavaClass outer = type;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
