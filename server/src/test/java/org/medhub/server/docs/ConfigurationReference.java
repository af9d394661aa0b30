package org.medhub.server.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders docs/configuration-reference.md from the Spring configuration metadata that the modules'
 * annotation processor writes ({@code META-INF/spring-configuration-metadata.json}, one per module jar).
 * Only MedHub's own {@code medhub.*} settings: Spring Boot's and HAPI's are documented by them.
 * The descriptions are the properties records' {@code @param} Javadoc, so the page is as good as those.
 */
final class ConfigurationReference {

    static final String METADATA = "META-INF/spring-configuration-metadata.json";

    /** One documented setting. */
    record Setting(String name, String type, String defaultValue, String description, boolean deprecated) {

        /** Spring's relaxed binding of an environment variable: upper case, dots to underscores, no dashes. */
        String environmentVariable() {
            return name.replace("-", "").replace('.', '_').replace("[", "").replace("]", "").toUpperCase();
        }

        /** The settings group a reader looks for: {@code medhub.dicomweb.limits.max-parts} → {@code medhub.dicomweb}. */
        String section() {
            String[] parts = name.split("\\.");
            return parts.length > 2 ? parts[0] + "." + parts[1] : parts[0];
        }
    }

    private ConfigurationReference() {
    }

    /** Every {@code medhub.*} setting the class path's metadata declares, by name (the same name twice is one). */
    static List<Setting> settings(ClassLoader classLoader) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Setting> byName = new TreeMap<>();
        try {
            for (URL url : Collections.list(classLoader.getResources(METADATA))) {
                JsonNode metadata;
                try (InputStream in = url.openStream()) {
                    metadata = json.readTree(in);
                }
                for (JsonNode property : metadata.path("properties")) {
                    String name = property.path("name").asText();
                    if (name.startsWith("medhub.")) {
                        byName.putIfAbsent(name, new Setting(name, simpleType(property.path("type").asText("")),
                                defaultOf(property.path("defaultValue")), oneLine(property.path("description").asText("")),
                                property.has("deprecation") || property.path("deprecated").asBoolean(false)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + METADATA, e);
        }
        return List.copyOf(byName.values());
    }

    /** The page: one table per settings group, in name order. */
    static String render(List<Setting> settings) {
        StringBuilder page = new StringBuilder()
                .append("# Configuration reference\n\n")
                .append("<!-- Generated from the modules' spring-configuration-metadata.json by\n")
                .append("     server/src/test/java/org/medhub/server/docs/ConfigurationReference.java; do not edit by hand.\n")
                .append("     ConfigurationReferenceTest fails when this page is stale; regenerate it with\n")
                .append("     ./mvnw -o -B -pl server -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dmedhub.docs.write=true -->\n\n")
                .append("Every `medhub.*` setting MedHub's modules declare, with its type, its default and the description from\n")
                .append("its properties record. Each can be set in `application.yaml`, as a `--name=value` argument, or as the\n")
                .append("environment variable shown (Spring Boot's relaxed binding). [Configuration](configuration.md) explains\n")
                .append("the settings that matter in practice, with the `./medhub` variables that set them; an invalid value stops\n")
                .append("the server at start-up with the setting named.\n");
        Map<String, List<Setting>> sections = new TreeMap<>();
        settings.forEach(s -> sections.computeIfAbsent(s.section(), k -> new ArrayList<>()).add(s));
        sections.forEach((section, members) -> {
            page.append("\n## `").append(section).append("`\n\n")
                    .append("| setting | type | default | environment variable | description |\n")
                    .append("|---|---|---|---|---|\n");
            for (Setting s : members) {
                page.append("| `").append(s.name()).append("` | ").append(cell(s.type()))
                        .append(" | ").append(s.defaultValue().isEmpty() ? "" : "`" + s.defaultValue() + "`")
                        .append(" | `").append(s.environmentVariable()).append("` | ")
                        .append(s.deprecated() ? "*Deprecated.* " : "").append(cell(s.description())).append(" |\n");
            }
        });
        return page.toString();
    }

    private static String simpleType(String type) {
        // java.util.List<java.lang.String> → List<String>: the package names only make the table wide.
        return type.replaceAll("(?:[a-z_][a-z0-9_]*\\.)+([A-Z])", "$1").replace('$', '.');
    }

    private static String defaultOf(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        return value.asText();
    }

    /** Javadoc to Markdown: one line, {@code x} as code, {@link Type} as its name. */
    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip()
                .replaceAll("\\{@code ([^}]*)}", "`$1`")
                .replaceAll("\\{@(?:link|linkplain) (?:[^}\\s]*\\s)?([^}]*)}", "$1");
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
