package org.medhub.viewer.ohif;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medhub.platform.security.ContentSecurityPolicy;

/**
 * The Content-Security-Policy OHIF's published build runs under. It needs more than the platform's
 * default: {@code eval} and WebAssembly for its image codecs, web workers from blob URLs, inline
 * styles, and the two inline start-up scripts of its {@code index.html}, which are allowed by their
 * SHA-256 hashes (CSP Level 3 "hash-source") rather than by {@code 'unsafe-inline'}: a script
 * injected into the page still does not run.
 */
public final class OhifContentSecurityPolicy {

    private static final String INDEX = "/org/medhub/viewer/ohif/index.html";
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

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
        List<String> hashes = new ArrayList<>();
        try (InputStream index = OhifContentSecurityPolicy.class.getResourceAsStream(INDEX)) {
            if (index == null) {
                return hashes;
            }
            Matcher script = INLINE_SCRIPT.matcher(new String(index.readAllBytes(), StandardCharsets.UTF_8));
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            while (script.find()) {
                byte[] digest = sha256.digest(script.group(1).getBytes(StandardCharsets.UTF_8));
                hashes.add("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
            }
            return hashes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OHIF's " + INDEX, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
