package org.medhub.ml.explain;

import java.util.Map;

/** Explains predictions of one model; takes values already validated against its feature schema. */
public interface ShapExplainer {

    ShapExplanation explain(Map<String, Object> values);
}
