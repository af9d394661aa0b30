package org.medhub.ml.prepare;

/** A prediction input does not fit the model's feature schema; {@link #field()} names the offending input. */
public class SchemaViolationException extends RuntimeException {

    private final String field;

    public SchemaViolationException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
