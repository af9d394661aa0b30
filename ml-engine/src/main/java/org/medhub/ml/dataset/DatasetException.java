package org.medhub.ml.dataset;

import java.util.List;

/** The data or its spec cannot be used; each problem names the column (and row) at fault. */
public class DatasetException extends RuntimeException {

    private final List<String> problems;

    public DatasetException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public DatasetException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
