package org.medhub.platform.devmode;

/**
 * A setting that holds dev material, as {@link DevMaterialCheck} reports it.
 *
 * @param setting the property, e.g. {@code medhub.deid.secret}
 * @param found what it holds, without repeating the value
 * @param provide what a production start sets there instead
 */
record DevMaterial(String setting, String found, String provide) {

    String line() {
        return "  - " + setting + ": " + found + ". Provide " + provide + ".";
    }
}
