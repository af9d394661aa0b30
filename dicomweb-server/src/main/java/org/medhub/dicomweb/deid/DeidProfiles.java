package org.medhub.dicomweb.deid;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medhub.dicomweb.dicom.PixelRegion;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The profiles of a site, read once from a directory ({@code config/deid/}): one YAML file per
 * profile, named after it, and {@code pixel-rules.yaml} for Clean Pixel Data. A file that does not
 * read as a valid profile stops the start-up with the file and the problem named.
 */
public final class DeidProfiles {

    static final String PIXEL_RULES_FILE = "pixel-rules.yaml";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern TAG = Pattern.compile("\\(?([0-9A-Fa-f]{4}),?([0-9A-Fa-f]{4})\\)?");

    private final Map<String, DeidProfile> profiles;
    private final PixelRules pixelRules;

    private DeidProfiles(Map<String, DeidProfile> profiles, PixelRules pixelRules) {
        this.profiles = Map.copyOf(profiles);
        this.pixelRules = pixelRules;
    }

    public static DeidProfiles load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("medhub.deid.profiles-directory " + directory.toAbsolutePath() + " is not a directory");
        }
        Map<String, DeidProfile> profiles = new TreeMap<>();
        PixelRules rules = PixelRules.none();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                String fileName = file.getFileName().toString();
                Map<String, Object> yaml = read(file);
                try {
                    if (fileName.equals(PIXEL_RULES_FILE)) {
                        rules = pixelRules(yaml);
                    } else {
                        String name = fileName.substring(0, fileName.length() - ".yaml".length());
                        profiles.put(name, profile(name, yaml));
                    }
                } catch (RuntimeException e) {
                    throw new IllegalStateException("de-identification configuration " + file + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DeidProfiles(profiles, rules);
    }

    public Optional<DeidProfile> find(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    public Collection<DeidProfile> all() {
        return profiles.values();
    }

    public PixelRules pixelRules() {
        return pixelRules;
    }

    private static Map<String, Object> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (!(document instanceof Map<?, ?> map)) {
                throw new IllegalStateException("de-identification configuration " + file + " is not a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return typed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("de-identification configuration " + file + ": " + e.getMessage(), e);
        }
    }

    static DeidProfile profile(String name, Map<String, Object> yaml) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile name '" + name + "' must be lower-case letters, digits and dashes");
        }
        Set<DeidOption> options = EnumSet.noneOf(DeidOption.class);
        for (Object option : list(yaml, "options")) {
            options.add(DeidOption.fromConfigName(String.valueOf(option)));
        }
        Map<Integer, ActionCode> overrides = new HashMap<>();
        Object rawOverrides = yaml.getOrDefault("overrides", Map.of());
        if (!(rawOverrides instanceof Map<?, ?> overrideMap)) {
            throw new IllegalArgumentException("overrides must map tags to action codes");
        }
        for (Map.Entry<?, ?> entry : overrideMap.entrySet()) {
            overrides.put(tag(String.valueOf(entry.getKey())), ActionCode.parse(String.valueOf(entry.getValue())));
        }
        Set<String> safePrivate = new HashSet<>();
        for (Object element : list(yaml, "safe-private")) {
            safePrivate.add(safePrivateElement(String.valueOf(element)));
        }
        int maxShift = ((Number) yaml.getOrDefault("date-shift-max-days", 365)).intValue();
        String project = String.valueOf(yaml.getOrDefault("project", name));
        return new DeidProfile(name, String.valueOf(yaml.getOrDefault("description", "")), options, project, maxShift,
                safePrivate, overrides);
    }

    /** {@code "GEMS_ACQU_01/10"}: the Private Creator, a slash, the element's low byte in hex. */
    private static String safePrivateElement(String value) {
        int slash = value.lastIndexOf('/');
        if (slash < 1 || !value.substring(slash + 1).matches("[0-9A-Fa-f]{2}")) {
            throw new IllegalArgumentException("safe-private entry '" + value + "' is not CREATOR/xx (element low byte in hex)");
        }
        return value.substring(0, slash).strip() + "/" + value.substring(slash + 1).toUpperCase(Locale.ROOT);
    }

    private static int tag(String value) {
        var matcher = TAG.matcher(value.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("override key '" + value + "' is not a tag such as 0008,1030");
        }
        return Integer.parseUnsignedInt(matcher.group(1) + matcher.group(2), 16);
    }

    private static List<?> list(Map<String, Object> yaml, String key) {
        Object value = yaml.getOrDefault(key, List.of());
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(key + " must be a list");
        }
        return list;
    }

    static PixelRules pixelRules(Map<String, Object> yaml) {
        List<PixelRules.Rule> rules = new ArrayList<>();
        for (Object raw : list(yaml, "rules")) {
            if (!(raw instanceof Map<?, ?> rule)) {
                throw new IllegalArgumentException("each pixel rule must be a mapping");
            }
            List<PixelRegion> regions = new ArrayList<>();
            Object rawRegions = rule.get("regions");
            if (!(rawRegions instanceof List<?> regionList)) {
                throw new IllegalArgumentException("pixel rule " + rule.get("name") + " needs regions: [[x, y, width, height], ...]");
            }
            for (Object region : regionList) {
                if (!(region instanceof List<?> r) || r.size() != 4) {
                    throw new IllegalArgumentException("pixel rule " + rule.get("name") + ": a region is [x, y, width, height]");
                }
                regions.add(new PixelRegion(number(r.get(0)), number(r.get(1)), number(r.get(2)), number(r.get(3))));
            }
            rules.add(new PixelRules.Rule(String.valueOf(rule.get("name")), text(rule.get("modality")), text(rule.get("manufacturer")),
                    text(rule.get("model")), optionalNumber(rule.get("rows")), optionalNumber(rule.get("columns")), regions));
        }
        Set<String> assumeClean = new HashSet<>();
        for (Object modality : list(yaml, "assume-clean-modalities")) {
            assumeClean.add(String.valueOf(modality).toUpperCase(Locale.ROOT));
        }
        return new PixelRules(rules, assumeClean);
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static int number(Object value) {
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
        return number.intValue();
    }

    private static Integer optionalNumber(Object value) {
        return value == null ? null : number(value);
    }
}
