package org.medhub.ml.train;

/** The run was cancelled before it finished. */
public class TrainingCancelledException extends RuntimeException {

    public TrainingCancelledException() {
        super("training run cancelled");
    }
}
