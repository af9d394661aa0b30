package org.medhub.cdshooks.cards;

import java.util.List;

/**
 * A CDS Hooks 2.0 card (§ Card attributes) as MedHub issues it: no suggestions (the service proposes
 * no orders), one SMART link.
 *
 * @param summary at most 140 characters
 * @param indicator {@code info}, {@code warning} or {@code critical}
 * @param detail GitHub-flavoured markdown
 * @param overrideReasons the codings the clinician may give in feedback when overriding the card
 */
public record Card(String uuid, String summary, String indicator, String detail, Source source,
        List<Coding> overrideReasons, List<Link> links) {

    public Card {
        overrideReasons = List.copyOf(overrideReasons);
        links = List.copyOf(links);
    }

    /** Where the card's information comes from (§ Source). */
    public record Source(String label, String url) {}

    /** A link the EHR shows with the card (§ Link); {@code type} is {@code absolute} or {@code smart}. */
    public record Link(String label, String url, String type, String appContext) {}

    /** A FHIR Coding as CDS Hooks carries it (override reasons). */
    public record Coding(String code, String system, String display) {}
}
