package org.medhub.viewer.ohif;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.medhub.platform.security.ContentSecurityPolicy;

/**
 * The Content-Security-Policy OHIF's published build runs under. It needs more than the platform's
 * default: {@code eval} and WebAssembly for its image codecs, web workers from blob URLs, inline
 * styles, and the two inline start-up scripts of its {@code index.html}, which are allowed by their
 * SHA-256 hashes ({@link ContentSecurityPolicy#inlineScriptHashes}).
 */
public final class OhifContentSecurityPolicy {

    private static final String INDEX = "/org/medhub/viewer/ohif/index.html";

    private OhifContentSecurityPolicy() {}

    public static ContentSecurityPolicy of(String issuer) {
        String identityProvider = ContentSecurityPolicy.originOf(issuer);
        String inlineScripts = String.join(" ", inlineScriptHashes());
        return new ContentSecurityPolicy(OhifAppConfig.BASE_PATH + "/**",
                "default-src 'self'; script-src 'self' " + inlineScripts + " 'unsafe-eval' 'wasm-unsafe-eval' blob:; "
                        + "worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                        + "font-src 'self' data:; connect-src 'self' data: blob: " + identityProvider + "; frame-src 'self' "
                        + identityProvider + "; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; "
                        + "form-action 'self' " + identityProvider);
    }

    /** {@code 'sha256-…'} of each inline script of the served index.html; none when OHIF is not packaged. */
    static List<String> inlineScriptHashes() {
        try (InputStream index = OhifContentSecurityPolicy.class.getResourceAsStream(INDEX)) {
            if (index == null) {
                return List.of();
            }
            return ContentSecurityPolicy.inlineScriptHashes(new String(index.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OHIF's " + INDEX, e);
        }
    }
}
