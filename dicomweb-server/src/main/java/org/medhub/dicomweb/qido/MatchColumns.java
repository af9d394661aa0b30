package org.medhub.dicomweb.qido;

import java.util.List;
import java.util.Map;

/**
 * Where a query's matching keys are compared: the index's own columns, or, for some keys, columns of
 * a table joined to the study (the researcher's view matches what the researcher sees, not the
 * stored originals).
 *
 * @param join SQL joined after the level's tables when a projected key is matched
 * @param joinArguments the join's parameters
 * @param projected the keys matched on the joined table, and their columns there
 */
record MatchColumns(String join, List<Object> joinArguments, Map<QueryAttribute, String> projected) {

    /** Every key on the index's columns. */
    static final MatchColumns INDEX = new MatchColumns("", List.of(), Map.of());

    MatchColumns {
        joinArguments = List.copyOf(joinArguments);
        projected = Map.copyOf(projected);
    }

    String column(QueryAttribute attribute) {
        return projected.getOrDefault(attribute, attribute.column);
    }
}
