package org.medhub.viewer.ohif;

import java.net.URI;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The viewer's configuration script, made from MedHub's settings rather than shipped as a file. */
@RestController
final class OhifController {

    private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

    private final OhifAppConfig appConfig;

    OhifController(OhifAppConfig appConfig) {
        this.appConfig = appConfig;
    }

    @GetMapping(OhifAppConfig.BASE_PATH + "/app-config.js")
    ResponseEntity<String> appConfig() {
        return ResponseEntity.ok().contentType(JAVASCRIPT).cacheControl(CacheControl.noCache()).body(appConfig.script());
    }

    /** OHIF's relative links need the trailing slash. */
    @GetMapping(OhifAppConfig.BASE_PATH)
    ResponseEntity<Void> root() {
        return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY).location(URI.create(OhifAppConfig.BASE_PATH + "/")).build();
    }

    /** After a sign-out: the study list, which sends the user to sign in again. */
    @GetMapping(OhifAppConfig.BASE_PATH + OhifAppConfig.SIGNED_OUT)
    ResponseEntity<Void> signedOut() {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(OhifAppConfig.BASE_PATH + "/")).build();
    }
}
