package org.medhub.cdshooks.cards;

import java.util.List;

/** The body of a CDS service's answer (CDS Hooks 2.0 § CDS Service Response). */
public record CardsResponse(List<Card> cards) {

    public CardsResponse {
        cards = List.copyOf(cards);
    }
}
