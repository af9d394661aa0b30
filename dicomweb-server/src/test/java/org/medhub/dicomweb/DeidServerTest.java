package org.medhub.dicomweb;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link DicomwebServerTest} with de-identification on: the shipped {@code config/deid} profiles and a
 * test key (a context of its own, so a database and store of its own).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@DicomwebServerTest
@TestPropertySource(properties = {
    "medhub.deid.enabled=true",
    "medhub.deid.secret=" + DeidServerTest.SECRET,
    "medhub.deid.profiles-directory=../config/deid"
})
public @interface DeidServerTest {
    String SECRET = "integration-test-secret-at-least-32-characters";
}
